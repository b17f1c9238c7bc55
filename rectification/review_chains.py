"""The review chains of 整改方案 [003], as data for the review-chain engine (``materials.review``).

"全市副处级以上党员干部的整改措施和副处级以上领导班子整改方案先报市委各督导组审阅把关，再由
市委各督导组统一报市委活动办联络组审核" [003]: within a city, every 班子 plan led at 副处级 or
above (its principal or government head) and every member's personal measures of a 副处级+
cadre — the 县(市、区) and their units, the 乡镇, the 市直单位 — go to the city's 督导组 (the one
sent to the unit or to the nearest unit above it), then to the city 活动办's 联络组. The city's own
四大班子 and city-level cadres go one level up (省委督导组, 省委活动办联络组). Other plans, and every
grassroots 问题清单, are checked by the 活动办 above the unit: 省 for 市-level units, 市 for 县-level
ones, the 县 for 乡镇 and 村/社区 ("上级党组织…严格审核把关").

Installed by a data migration (``rectification/migrations/0003_plan_review_chains.py``) and
editable in the admin afterwards; installing again never overwrites an office's edits
(templates are matched by code). Levels: 0 中央, 1 省, 2 市, 3 县, 4 乡镇, 5 村.
A rule's ``material_kinds`` reads the review's variant: the plan's ListKind.
"""

from __future__ import annotations

from typing import Any

SUBJECT_KIND = "rectification_plan"
# 副处级以上 [003] (units.choices.Rank).
SENIOR_RANKS = ["minister", "bureau", "deputy_bureau", "division", "deputy_division"]
# 班子 plans and personal measures; a grassroots 问题清单 always goes to the office above.
PLANS = ["team", "personal"]
SOURCE = "[003] 五、“从严督导把关”"

TEMPLATES: list[dict[str, Any]] = [
    {
        "code": "rect_city_senior",
        "name": "市四大班子整改方案和市级领导干部个人整改措施审核",
        "description": f"{SOURCE}：市级领导班子和副处级以上市级领导干部，先报省委督导组审阅把关，"
        "再报省委活动办联络组审核。",
        "steps": [
            {"name": "省委督导组审阅把关", "rule": "supervision_group", "level": 1},
            {"name": "省委活动办联络组审核", "rule": "liaison_group", "level": 1},
        ],
    },
    {
        "code": "rect_senior",
        "name": "副处级以上领导班子整改方案和党员干部个人整改措施审核",
        "description": f"{SOURCE}：全市副处级以上党员干部的整改措施和副处级以上领导班子整改方案"
        "先报市委各督导组审阅把关，再由市委各督导组统一报市委活动办联络组审核。",
        "steps": [
            {"name": "市委督导组审阅把关", "rule": "supervision_group", "level": 2},
            {"name": "市委活动办联络组审核", "rule": "liaison_group", "level": 2},
        ],
    },
    {
        "code": "rect_province_office",
        "name": "市级其他整改方案审核（省委活动办）",
        "description": f"{SOURCE}：其他整改方案由上级活动办严格审核把关。",
        "steps": [{"name": "省委活动办审核", "rule": "office", "level": 1}],
    },
    {
        "code": "rect_city_office",
        "name": "县级其他整改方案审核（市委活动办）",
        "description": f"{SOURCE}：其他整改方案由上级活动办严格审核把关。",
        "steps": [{"name": "市委活动办审核", "rule": "office", "level": 2}],
    },
    {
        "code": "rect_county_office",
        "name": "乡镇整改方案和村（社区）问题清单审核（县委活动办）",
        "description": f"{SOURCE}：乡镇（街道）和村（社区）等基层组织的整改方案、问题清单"
        "由县（市、区）委活动办审核把关。",
        "steps": [{"name": "县（市、区）委活动办审核", "rule": "office", "level": 3}],
    },
]

RULES: list[dict[str, Any]] = [
    {
        "priority": 10,
        "template": "rect_city_senior",
        "description": "市四大班子和副处级以上市级领导干部",
        "condition": [
            {
                "material_kinds": PLANS,
                "levels": [2],
                "categories": ["territorial", "four_bodies"],
                "author_ranks": SENIOR_RANKS,
            }
        ],
    },
    {
        "priority": 20,
        "template": "rect_senior",
        "description": "全市副处级以上领导班子和党员干部（市直单位、县和乡镇）",
        "condition": [
            {
                "material_kinds": PLANS,
                "levels": [2],
                "categories": ["direct", "subordinate"],
                "author_ranks": SENIOR_RANKS,
            },
            {"material_kinds": PLANS, "levels": [3, 4], "author_ranks": SENIOR_RANKS},
        ],
    },
    {
        "priority": 30,
        "template": "rect_province_office",
        "description": "市级单位的其他整改方案",
        "condition": [{"levels": [2]}],
    },
    {
        "priority": 40,
        "template": "rect_city_office",
        "description": "县级单位的其他整改方案和问题清单",
        "condition": [{"levels": [3]}],
    },
    {
        "priority": 50,
        "template": "rect_county_office",
        "description": "乡镇（街道）的其他整改方案和村（社区）的问题清单",
        "condition": [{"levels": [4, 5]}],
    },
]


def install(apps: Any) -> int:
    """Create the templates and rules that do not exist yet; returns how many templates were added."""
    Template = apps.get_model("materials", "ChainTemplate")
    Step = apps.get_model("materials", "ChainStep")
    Rule = apps.get_model("materials", "ChainRule")
    added = 0
    for spec in TEMPLATES:
        if Template.objects.filter(code=spec["code"]).exists():
            continue
        # A return sends the revised plan through the whole chain again: the 督导组 "统一报" it.
        template = Template.objects.create(
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            subject_kind=SUBJECT_KIND,
            reentry="start",
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
                    subject_kind=SUBJECT_KIND,
                    condition=rule["condition"],
                    description=rule["description"],
                )
        added += 1
    return added
