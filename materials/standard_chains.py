"""The review chains of [002] §5(2), as data.

Installed by a data migration and editable in the admin afterwards; installing
again never overwrites an office's edits (templates are matched by code).
Levels: 0 中央, 1 省, 2 市, 3 县, 4 乡镇, 5 村.
"""

from __future__ import annotations

from typing import Any

ORGANS = ["congress", "government", "cppcc"]
PARTY_GROUP_SIGN = {
    "name": "所在党组主要负责同志审核把关并签字",
    "kind": "sign",
    "rule": "party_group_principal",
    "condition": [{"unit_kinds": ORGANS}],
    "note": "人大、政府、政协领导班子中党员领导干部的材料先由所在党组主要负责同志审核签字",
}
NOT_SECTION_HEAD = {"negate": {"post_roles": ["section_head"]}}

TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "city",
        "name": "市四大班子和市级干部对照检查材料审核（六个环节）",
        "description": "[002] 五(2)：市委书记、省委督导组、省委活动办、省委主要负责同志、中央巡回督导组、中央活动办。",
        "steps": [
            PARTY_GROUP_SIGN,
            {"name": "市委书记审核", "rule": "secretary", "level": 2},
            {"name": "省委督导组审核", "rule": "supervision_group", "level": 1},
            {"name": "省委活动办审核", "rule": "office", "level": 1},
            {
                "name": "省委主要负责同志审核",
                "rule": "secretary",
                "level": 1,
                "condition": [{"subject": "body", "unit_is_area": True}, {"party_gov_principal": True}],
                "note": "市委领导班子、市党政主要负责同志",
            },
            {
                "name": "中央巡回督导组审核",
                "rule": "supervision_group",
                "level": 0,
                "condition": [{"subject": "person", "unit_is_area": True, "post_roles": ["principal"]}],
                "note": "市委书记",
            },
            {
                "name": "中央活动办审阅",
                "kind": "acknowledge",
                "rule": "office",
                "level": 0,
                "days": 10,
                "condition": [{"subject": "person", "unit_is_area": True, "post_roles": ["principal"]}],
                "note": "市委书记",
            },
        ],
    },
    {
        "code": "county",
        "name": "县（区）领导班子、领导干部对照检查材料审核（七个环节）",
        "description": "[002] 五(2)：县委书记、市委督导组、市委活动办、市委书记、省委督导组、省委活动办、省委负责同志。",
        "steps": [
            PARTY_GROUP_SIGN,
            {"name": "县（区）委书记审核", "rule": "secretary", "level": 3},
            {"name": "市委督导组审核", "rule": "supervision_group", "level": 2},
            {"name": "市委活动办审核", "rule": "office", "level": 2},
            {
                "name": "市委书记审核",
                "rule": "secretary",
                "level": 2,
                "condition": [
                    {"unit_is_area": True, "in_reviewer_contact_point": True},
                    {"unit_is_area": True, "subject": "body"},
                    {"party_gov_principal": True},
                ],
                "note": "本人联系点的县委常委班子及其成员；其他县（区）委常委班子、党政主要负责同志",
            },
            {
                "name": "省委督导组审核",
                "rule": "supervision_group",
                "level": 1,
                "condition": [{"party_gov_principal": True}],
                "note": "县（区）党政主要负责同志",
            },
            {
                "name": "省委活动办审核",
                "rule": "office",
                "level": 1,
                "condition": [{"party_gov_principal": True}],
                "note": "县（区）党政主要负责同志",
            },
            {
                "name": "省委负责同志审核",
                "rule": "leading_group_leader",
                "level": 1,
                "condition": [{"party_gov_principal": True}],
                "note": "县（区）党政主要负责同志",
            },
        ],
    },
    {
        "code": "city_direct",
        "name": "市直单位领导班子、领导干部对照检查材料审核（四个环节）",
        "description": "[002] 五(2)：单位主要负责人、市委督导组、市委活动办、分管市领导。",
        "steps": [
            {"name": "单位主要负责人审核", "rule": "department_principal"},
            {
                "name": "市委督导组审核",
                "rule": "supervision_group",
                "level": 2,
                "condition": [NOT_SECTION_HEAD],
            },
            {
                "name": "市委活动办审核",
                "rule": "office",
                "level": 2,
                "condition": [{"categories": ["direct"], **NOT_SECTION_HEAD}],
                "note": "领导班子及其成员",
            },
            {
                "name": "分管市领导审核",
                "rule": "overseeing_leader",
                "condition": [
                    {"categories": ["direct"], "subject": "body"},
                    {"categories": ["direct"], "post_roles": ["principal"]},
                ],
                "note": "领导班子和主要负责人",
            },
        ],
    },
    {
        "code": "county_direct",
        "name": "县（区）直单位领导班子、领导干部对照检查材料审核（参照执行）",
        "description": "[002] 五(2)：县（区）直单位参照市直单位执行。",
        "steps": [
            {"name": "单位主要负责人审核", "rule": "department_principal"},
            {
                "name": "县委督导组审核",
                "rule": "supervision_group",
                "level": 3,
                "condition": [NOT_SECTION_HEAD],
            },
            {
                "name": "县委活动办审核",
                "rule": "office",
                "level": 3,
                "condition": [{"categories": ["direct"], **NOT_SECTION_HEAD}],
            },
            {
                "name": "分管县领导审核",
                "rule": "overseeing_leader",
                "condition": [
                    {"categories": ["direct"], "subject": "body"},
                    {"categories": ["direct"], "post_roles": ["principal"]},
                ],
            },
        ],
    },
    {
        "code": "township",
        "name": "乡（镇、办）领导班子、领导干部对照检查材料审核（参照执行）",
        "description": "[002] 五(2)：乡（镇、办）参照执行；县（区）委书记审核乡（镇、办）党（工）委领导班子和党政主要负责同志的材料。",
        "steps": [
            {"name": "乡（镇、办）党（工）委书记审核", "rule": "unit_principal"},
            {"name": "县委督导组审核", "rule": "supervision_group", "level": 3},
            {"name": "县委活动办审核", "rule": "office", "level": 3},
            {
                "name": "县（区）委书记审核",
                "rule": "secretary",
                "level": 3,
                "condition": [{"subject": "body"}, {"party_gov_principal": True}],
                "note": "乡（镇、办）党（工）委领导班子和党政主要负责同志",
            },
        ],
    },
    {
        "code": "village",
        "name": "村（社区）党组织及其书记简要对照检查材料审核",
        "description": "[002] 五(2)：由乡（镇、办）党组织主要负责同志审核。",
        "steps": [{"name": "乡（镇、办）党组织主要负责同志审核", "rule": "secretary", "level": 4}],
    },
    {
        "code": "subordinate_member",
        "name": "直属机构班子成员对照检查材料审核",
        "description": "直属机构的领导班子和主要负责人按市（县）直单位流程审核；其他成员由本机构主要负责同志审核。",
        "steps": [{"name": "本机构主要负责同志审核", "rule": "unit_principal"}],
    },
]

RULES: list[dict[str, Any]] = [
    {
        "priority": 10,
        "template": "village",
        "description": "村（社区）简要材料",
        "condition": [{"material_kinds": ["brief"]}],
    },
    {
        "priority": 20,
        "template": "subordinate_member",
        "description": "直属机构一般成员",
        "condition": [
            {"categories": ["subordinate"], "subject": "person", "negate": {"post_roles": ["principal"]}}
        ],
    },
    {
        "priority": 30,
        "template": "city",
        "description": "市四大班子和市级干部",
        "condition": [{"levels": [2], "categories": ["territorial", "four_bodies"]}],
    },
    {
        "priority": 40,
        "template": "city_direct",
        "description": "市直单位及其直属机构",
        "condition": [{"levels": [2], "categories": ["direct", "subordinate"]}],
    },
    {
        "priority": 50,
        "template": "county",
        "description": "县（区）四大班子和县级干部",
        "condition": [{"levels": [3], "categories": ["territorial", "four_bodies"]}],
    },
    {
        "priority": 60,
        "template": "county_direct",
        "description": "县（区）直单位及其直属机构",
        "condition": [{"levels": [3], "categories": ["direct", "subordinate"]}],
    },
    {
        "priority": 70,
        "template": "township",
        "description": "乡（镇、办）领导班子和领导干部",
        "condition": [{"levels": [4], "categories": ["territorial"]}],
    },
]


def install(apps: Any) -> int:
    """Create the standard templates and rules that do not exist yet; returns how many templates were added."""
    Template = apps.get_model("materials", "ChainTemplate")
    Step = apps.get_model("materials", "ChainStep")
    Rule = apps.get_model("materials", "ChainRule")
    added = 0
    for spec in TEMPLATES:
        if Template.objects.filter(code=spec["code"]).exists():
            continue
        template = Template.objects.create(
            code=spec["code"], name=spec["name"], description=spec["description"], subject_kind="material"
        )
        for order, step in enumerate(spec["steps"], start=1):
            Step.objects.create(
                template=template,
                order=order,
                name=step["name"],
                kind=step.get("kind", "review"),
                reviewer_rule=step["rule"],
                rule_level=step.get("level"),
                condition=step.get("condition", []),
                time_limit_days=step.get("days", 5),
                note=step.get("note", ""),
            )
        for rule in RULES:
            if rule["template"] == spec["code"]:
                Rule.objects.create(
                    priority=rule["priority"],
                    template=template,
                    subject_kind="material",
                    condition=rule["condition"],
                    description=rule["description"],
                )
        added += 1
    return added
