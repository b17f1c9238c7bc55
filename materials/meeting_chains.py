"""Review chains of stage two besides the materials, as data: meeting plans and 拟批评意见.

[002] 六: "县（区）、市直单位党组织制定领导班子专题民主生活会方案…市委督导组审核方案；市委活动办审核方案";
[002] 三4: "班子成员要条目式列出拟批评意见，市委督导组梳理把关后，上报市委活动办审核". The 督导组 and
活动办 are those of the level above a 党委 (and of the unit's own level for a 直属单位): a 县委 plan
goes to the 市委督导组 and 市委活动办, a 县直单位 or 乡镇 plan to the 县委 ones ("参照执行"), a 市委
plan to the 省委 ones.

Installed by the data migration ``0004_meeting_chains``; installing again never overwrites an
office's edits (templates are matched by code). Levels: 1 省, 2 市, 3 县.
"""

from __future__ import annotations

from typing import Any

LEVEL_NAMES = {1: "省委", 2: "市委", 3: "县委"}
# Which units a level's chain serves: [(levels, categories)] of the subject's unit.
SERVED = {
    1: [([2], ["territorial", "four_bodies"])],
    2: [([3], ["territorial", "four_bodies"]), ([2], ["direct", "subordinate"])],
    3: [([4], ["territorial"]), ([3], ["direct", "subordinate"])],
}
SERVED_LABEL = {
    1: "市四大班子",
    2: "县（区）四大班子和市直单位",
    3: "县（区）直单位和乡（镇、办）",
}
SUBJECTS: dict[str, dict[str, Any]] = {
    "meeting_plan": {
        "code": "meeting_plan",
        "name": "{served}专题民主生活会方案审核（{level}督导组、{level}活动办）",
        "description": (
            "[002] 六：制定领导班子专题民主生活会方案，{level}督导组审核方案，{level}活动办审核方案。"
        ),
        "steps": ["{level}督导组审核方案", "{level}活动办审核方案"],
        "rule": "{served}专题民主生活会方案",
    },
    "criticism_list": {
        "code": "criticism",
        "name": "{served}班子成员拟批评意见审核（{level}督导组把关、{level}活动办审核）",
        "description": (
            "[002] 三4：谈心交心结束后，班子成员条目式列出拟批评意见，"
            "{level}督导组梳理把关后，上报{level}活动办审核。"
        ),
        "steps": ["{level}督导组梳理把关", "{level}活动办审核"],
        "rule": "{served}班子成员拟批评意见",
    },
}
PRIORITY = {1: 10, 2: 20, 3: 30}


def specs() -> list[dict[str, Any]]:
    """The templates with their steps and rules, one per subject kind and level."""
    found = []
    for subject_kind, spec in SUBJECTS.items():
        for level, level_name in LEVEL_NAMES.items():
            words = {"level": level_name, "served": SERVED_LABEL[level]}
            found.append(
                {
                    "code": f"{spec['code']}_l{level}",
                    "subject_kind": subject_kind,
                    "name": spec["name"].format(**words),
                    "description": spec["description"].format(**words),
                    "steps": [
                        {
                            "name": spec["steps"][0].format(**words),
                            "rule": "supervision_group",
                            "level": level,
                        },
                        {"name": spec["steps"][1].format(**words), "rule": "office", "level": level},
                    ],
                    "rule": {
                        "priority": PRIORITY[level],
                        "description": spec["rule"].format(**words),
                        "condition": [
                            {"levels": levels, "categories": categories}
                            for levels, categories in SERVED[level]
                        ],
                    },
                }
            )
    return found


def install(apps: Any) -> int:
    """Create the templates and rules that do not exist yet; returns how many templates were added."""
    Template = apps.get_model("materials", "ChainTemplate")
    Step = apps.get_model("materials", "ChainStep")
    Rule = apps.get_model("materials", "ChainRule")
    added = 0
    for spec in specs():
        if Template.objects.filter(code=spec["code"]).exists():
            continue
        template = Template.objects.create(
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            subject_kind=spec["subject_kind"],
        )
        for order, step in enumerate(spec["steps"], start=1):
            Step.objects.create(
                template=template,
                order=order,
                name=step["name"],
                kind="review",
                reviewer_rule=step["rule"],
                rule_level=step["level"],
                condition=[],
                time_limit_days=5,
            )
        Rule.objects.create(
            priority=spec["rule"]["priority"],
            template=template,
            subject_kind=spec["subject_kind"],
            condition=spec["rule"]["condition"],
            description=spec["rule"]["description"],
        )
        added += 1
    return added
