"""Which steps of which [002] chain apply to which author, table-driven from the text of [002] §5(2).

The demo province (units/demo.py) has every kind of author: 市委书记 and 市长, 常委, 人大/政府/政协
党组 members, 县委书记 and 县长 (清丰县 is the 濮阳市委书记's 联系点, 华龙区 is not), 县委常委, 副县长,
市直 and 县直 department heads, their deputies and section heads, a 直属机构 (school) under the
市教育局, 乡镇 secretaries, 镇长 and members, and 村 secretaries.
"""

import pytest

from materials.chains import build_subject
from materials.review import select_template, template_plan
from materials.selectors import primary_post
from units.choices import PostRole
from units.models import Person, Post, Unit

pytestmark = pytest.mark.django_db

SIGN = "所在党组主要负责同志审核把关并签字"

# (who, material, expected template, expected steps in order)
CASES = [
    # 市四大班子和市级干部: 6 steps; 省委主要负责同志 only for 市委班子 and 党政主要负责同志;
    # 中央 steps only for the 市委书记; nobody reviews himself.
    (
        "P410900-SJ",
        "personal",
        "city",
        ["省委督导组审核", "省委活动办审核", "省委主要负责同志审核", "中央巡回督导组审核", "中央活动办审阅"],
    ),
    (
        "P410900-ZZ",
        "personal",
        "city",
        ["市委书记审核", "省委督导组审核", "省委活动办审核", "省委主要负责同志审核"],
    ),
    ("P410900-ZZB", "personal", "city", ["市委书记审核", "省委督导组审核", "省委活动办审核"]),
    ("P410900-ZF-FZ1", "personal", "city", [SIGN, "市委书记审核", "省委督导组审核", "省委活动办审核"]),
    ("P410900-RD-FZR1", "personal", "city", [SIGN, "市委书记审核", "省委督导组审核", "省委活动办审核"]),
    ("P410900-ZX-FZX", "personal", "city", [SIGN, "市委书记审核", "省委督导组审核", "省委活动办审核"]),
    ("P410900-RD-ZR", "personal", "city", ["市委书记审核", "省委督导组审核", "省委活动办审核"]),
    ("unit:410900", "body", "city", ["省委督导组审核", "省委活动办审核", "省委主要负责同志审核"]),
    ("unit:410900-ZF", "body", "city", ["市委书记审核", "省委督导组审核", "省委活动办审核"]),
    # 县（区）: 7 steps. 市委书记: his 联系点 county's 常委班子 and every 常委; other counties only the
    # 常委班子 and 党政主要负责同志. The three 省 steps only for 县党政主要负责同志.
    (
        "P410922-SJ",
        "personal",
        "county",
        [
            "市委督导组审核",
            "市委活动办审核",
            "市委书记审核",
            "省委督导组审核",
            "省委活动办审核",
            "省委负责同志审核",
        ],
    ),
    (
        "P410922-ZZ",
        "personal",
        "county",
        [
            "县（区）委书记审核",
            "市委督导组审核",
            "市委活动办审核",
            "市委书记审核",
            "省委督导组审核",
            "省委活动办审核",
            "省委负责同志审核",
        ],
    ),
    (
        "P410902-ZZ",
        "personal",
        "county",
        [
            "县（区）委书记审核",
            "市委督导组审核",
            "市委活动办审核",
            "市委书记审核",
            "省委督导组审核",
            "省委活动办审核",
            "省委负责同志审核",
        ],
    ),
    (
        "P410922-ZZB",
        "personal",
        "county",
        ["县（区）委书记审核", "市委督导组审核", "市委活动办审核", "市委书记审核"],
    ),
    ("P410902-ZZB", "personal", "county", ["县（区）委书记审核", "市委督导组审核", "市委活动办审核"]),
    (
        "P410922-ZF-FZ1",
        "personal",
        "county",
        [SIGN, "县（区）委书记审核", "市委督导组审核", "市委活动办审核"],
    ),
    (
        "P410902-ZF-FZ1",
        "personal",
        "county",
        [SIGN, "县（区）委书记审核", "市委督导组审核", "市委活动办审核"],
    ),
    ("unit:410922", "body", "county", ["市委督导组审核", "市委活动办审核", "市委书记审核"]),
    ("unit:410902", "body", "county", ["市委督导组审核", "市委活动办审核", "市委书记审核"]),
    ("unit:410922-RD", "body", "county", ["县（区）委书记审核", "市委督导组审核", "市委活动办审核"]),
    # 市直单位: 4 steps. 单位主要负责人: 班子 and members, 科室长, 直属机构班子 and 主要负责人;
    # 市委督导组: not 科室长; 市委活动办: the department's own 班子 and members; 分管市领导: 班子 and 主要负责人.
    ("P410900-JYJ-ZY", "personal", "city_direct", ["市委督导组审核", "市委活动办审核", "分管市领导审核"]),
    (
        "P410900-JYJ-FZ1",
        "personal",
        "city_direct",
        ["单位主要负责人审核", "市委督导组审核", "市委活动办审核"],
    ),
    ("P410900-JYJ-KZ", "personal", "city_direct", ["单位主要负责人审核"]),
    ("unit:410900-JYJ", "body", "city_direct", ["市委督导组审核", "市委活动办审核", "分管市领导审核"]),
    ("P410900-YZ-ZY", "personal", "city_direct", ["单位主要负责人审核", "市委督导组审核"]),
    ("unit:410900-YZ", "body", "city_direct", ["单位主要负责人审核", "市委督导组审核"]),
    ("P410900-YZ-FZ1", "personal", "subordinate_member", ["本机构主要负责同志审核"]),
    # 县（区）直单位 参照执行.
    ("P410922-JYJ-ZY", "personal", "county_direct", ["县委督导组审核", "县委活动办审核", "分管县领导审核"]),
    (
        "P410922-GAJ-FZ2",
        "personal",
        "county_direct",
        ["单位主要负责人审核", "县委督导组审核", "县委活动办审核"],
    ),
    ("unit:410922-GAJ", "body", "county_direct", ["县委督导组审核", "县委活动办审核", "分管县领导审核"]),
    # 乡（镇、办）参照执行; 县委书记 reviews the 乡镇 班子 and 党政主要负责同志.
    ("P410922001-SJ", "personal", "township", ["县委督导组审核", "县委活动办审核", "县（区）委书记审核"]),
    (
        "P410922001-ZZ",
        "personal",
        "township",
        ["乡（镇、办）党（工）委书记审核", "县委督导组审核", "县委活动办审核", "县（区）委书记审核"],
    ),
    (
        "P410922001-ZZW",
        "personal",
        "township",
        ["乡（镇、办）党（工）委书记审核", "县委督导组审核", "县委活动办审核"],
    ),
    ("unit:410922001", "body", "township", ["县委督导组审核", "县委活动办审核", "县（区）委书记审核"]),
    # 村（社区）: one step, the township's principal.
    ("unit:410922001001", "brief", "village", ["乡（镇、办）党组织主要负责同志审核"]),
    ("P410922001001-SJ", "brief", "village", ["乡（镇、办）党组织主要负责同志审核"]),
]


def plan_for(who, kind, campaign):
    if who.startswith("unit:"):
        unit = Unit.objects.get(code=who[5:])
        author = Post.objects.get(unit=unit, role=PostRole.PRINCIPAL).person
        is_body = True
    else:
        author = Person.objects.get(code=who)
        unit = primary_post(list(author.posts.select_related("unit"))).unit
        is_body = False
    subject = build_subject(
        campaign_id=campaign.pk, unit=unit, author=author, is_body=is_body, material_kind=kind
    )
    template = select_template("material", subject)
    return (
        template.code,
        [p.step.name for p in template_plan(template, subject) if p.applies],
        template_plan(template, subject),
    )


def test_every_author_type_gets_the_steps_of_002(province):
    failures = []
    for who, kind, template, expected in CASES:
        code, steps, _plan = plan_for(who, kind, province.campaign)
        if (code, steps) != (template, expected):
            failures.append(f"{who} {kind}: got {code} {steps}, expected {template} {expected}")
    assert not failures, "\n".join(failures)


def test_the_secretary_does_not_review_himself_and_says_so(province):
    _code, _steps, plan = plan_for("P410900-SJ", "personal", province.campaign)
    first = plan[1]
    assert first.step.name == "市委书记审核" and not first.applies
    assert "本人" in first.reason


def test_the_contact_point_decides_for_ordinary_members(province):
    # 清丰县 is the 濮阳市委书记's 联系点; moving it to 南乐县 moves the extra step with it.
    from units.models import ContactPoint

    ContactPoint.objects.filter(person__code="P410900-SJ").update(unit=Unit.objects.get(code="410923"))
    assert "市委书记审核" not in plan_for("P410922-ZZB", "personal", province.campaign)[1]
    assert "市委书记审核" in plan_for("P410923-ZZB", "personal", province.campaign)[1]


def test_a_changed_rule_in_the_data_changes_the_chain(province):
    """Which template applies is data: an office can point 县直单位 at another chain in the admin."""
    from materials.models import ChainRule

    ChainRule.objects.filter(template__code="county_direct").update(priority=5, condition=[{"levels": [3]}])
    assert plan_for("P410922-ZZB", "personal", province.campaign)[0] == "county_direct"


def test_conditions_are_validated_in_chinese():
    from django.core.exceptions import ValidationError

    from materials.chains import validate_condition

    with pytest.raises(ValidationError) as exc:
        validate_condition([{"colour": "red"}])
    assert "不认识的条件" in str(exc.value)
    with pytest.raises(ValidationError):
        validate_condition({"subject": "body"})


def test_a_saved_change_is_checked_against_a_unique_constraint_only_when_it_can_break_it(
    django_assert_num_queries,
):
    from django.core.exceptions import ValidationError

    from campaign.services import save_validated
    from materials.models import ChainStep

    first, second = ChainStep.objects.order_by("template_id", "order")[:2]
    assert first.template_id == second.template_id
    second.order = first.order
    with pytest.raises(ValidationError):
        save_validated(second, actor=None, update_fields=["order"])
    second.refresh_from_db()
    second.note = "依据"
    with django_assert_num_queries(2):  # UPDATE, history; (template, order) is left alone
        save_validated(second, actor=None, update_fields=["note"])
