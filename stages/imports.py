"""Bulk import of opinions gathered offline (座谈会, 走访, 来信, 上级反馈 …) from .xlsx or .csv.

Like the unit importers: every row is checked first and each rejected row is
reported with its line number and reason; a file with errors imports nothing
unless the office asks to skip the bad rows. Valid rows are written in bulk
with history rows attributed to the importing user.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaign import clock
from campaign.models import Campaign
from campaign.tabular import Column, Row, RowError, parse_date
from stages.choices import OpinionCategory, OpinionChannel, OpinionSource
from stages.models import OPINION_MAX_CHARS, Opinion
from stages.selectors import RECEIPT_ALPHABET, RECEIPT_LENGTH
from stages.services import clean_text
from units.access import scope_for
from units.imports import ImportReport
from units.models import Person, Post, Unit

Progress = Callable[[int, int], None]
BATCH = 500

OPINION_COLUMNS = [
    Column("单位编码", "unit"),
    Column("征求渠道", "channel", aliases=("渠道",)),
    Column("意见类别", "category", aliases=("类别",)),
    Column("意见内容", "text", aliases=("内容",)),
    Column("收到日期", "received_on", aliases=("日期",)),
    Column("署名方式", "identity", required=False, aliases=("是否匿名",)),
    Column("提出人姓名", "name", required=False, aliases=("姓名",)),
    Column("联系方式", "contact", required=False),
    Column("涉及领导人员编码", "about", required=False, aliases=("涉及领导",)),
]


def _lookup(choices: Any, aliases: dict[str, str]) -> dict[str, str]:
    table = {str(label): value for value, label in choices}
    table.update({value: value for value, _label in choices})
    table.update(aliases)
    return table


CHANNEL_BY_TEXT = _lookup(
    OpinionChannel.choices,
    {
        "座谈": OpinionChannel.SYMPOSIUM,
        "问卷": OpinionChannel.QUESTIONNAIRE,
        "走访": OpinionChannel.HOME_VISIT,
        "来信": OpinionChannel.LETTER_VISIT,
        "来访": OpinionChannel.LETTER_VISIT,
        "12345": OpinionChannel.HOTLINE_12345,
        "政风行风": OpinionChannel.STYLE_HOTLINE,
        "门户网站": OpinionChannel.PORTAL,
        "民意快线": OpinionChannel.PORTAL,
        "纪委": OpinionChannel.UPPER_DISCIPLINE,
        "组织部": OpinionChannel.UPPER_ORGANIZATION,
        "组织部门": OpinionChannel.UPPER_ORGANIZATION,
        "审计": OpinionChannel.UPPER_AUDIT,
        "信访": OpinionChannel.UPPER_PETITION,
        "巡视": OpinionChannel.UPPER_INSPECTION,
        "巡视组": OpinionChannel.UPPER_INSPECTION,
    },
)
CATEGORY_BY_TEXT = _lookup(
    OpinionCategory.choices,
    {
        "征地": OpinionCategory.LAND,
        "拆迁": OpinionCategory.LAND,
        "社保": OpinionCategory.SOCIAL_SECURITY,
        "环境": OpinionCategory.ENVIRONMENT,
        "环保": OpinionCategory.ENVIRONMENT,
        "食品安全": OpinionCategory.FOOD_DRUG,
        "药品安全": OpinionCategory.FOOD_DRUG,
        "治安": OpinionCategory.PUBLIC_ORDER,
        "执法": OpinionCategory.LAW_ENFORCEMENT,
        "司法": OpinionCategory.LAW_ENFORCEMENT,
    },
)
ANONYMOUS_WORDS = {"匿名", "背靠背", "是", "匿名（背靠背）"}
NAMED_WORDS = {"", "实名", "面对面", "否", "署名"}


def _text(row: Row, key: str) -> str:
    value = row.values.get(key, "")
    return "" if value is None else str(value).strip()


def _campaign_of(unit: Unit, campaigns: list[Campaign]) -> Campaign | None:
    """The latest campaign organised by the unit or above it (same rule as the selectors)."""
    for campaign in campaigns:
        if unit.path.startswith(campaign.root_unit.path):
            return campaign
    return None


def _receipt_codes(count: int) -> list[str]:
    import secrets

    codes: set[str] = set()
    while len(codes) < count:
        wanted = count - len(codes)
        fresh = {
            "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH)) for _j in range(wanted)
        }
        taken = set(Opinion.objects.filter(receipt_code__in=fresh).values_list("receipt_code", flat=True))
        codes |= fresh - taken
    return sorted(codes)


def import_opinions(
    *, actor: Any, root: Unit, rows: Sequence[Row], skip_errors: bool, progress: Progress | None = None
) -> ImportReport:
    """Opinions into units of ``root``'s subtree that the actor's office manages."""
    scope = scope_for(actor)
    report = ImportReport()
    unit_codes = {_text(r, "unit") for r in rows}
    units = {u.code: u for u in Unit.objects.filter(code__in=unit_codes, path__startswith=root.path)}
    about_codes = {_text(r, "about") for r in rows} - {""}
    people = {p.code: p for p in Person.objects.filter(code__in=about_codes)}
    held = set(
        Post.objects.filter(person__code__in=about_codes, unit__code__in=unit_codes).values_list(
            "person_id", "unit_id"
        )
    )
    campaigns = list(Campaign.objects.select_related("root_unit").order_by("-start_date", "-pk"))
    today = clock.today()
    new: list[Opinion] = []
    for row in rows:
        errors: list[str] = []
        unit = units.get(_text(row, "unit"))
        campaign = None
        if unit is None:
            errors.append(_("单位编码“%(c)s”不存在或不在本次导入的范围内") % {"c": _text(row, "unit")})
        elif not scope.can_manage(unit.path):
            errors.append(_("您无权为“%(name)s”录入意见") % {"name": unit.name})
        else:
            campaign = _campaign_of(unit, campaigns)
            if campaign is None:
                errors.append(_("“%(name)s”不在任何教育实践活动的范围内") % {"name": unit.name})
        channel = CHANNEL_BY_TEXT.get(_text(row, "channel"))
        if channel is None:
            errors.append(_("征求渠道“%(v)s”无法识别") % {"v": _text(row, "channel")})
        category = CATEGORY_BY_TEXT.get(_text(row, "category"))
        if category is None:
            errors.append(_("意见类别“%(v)s”无法识别") % {"v": _text(row, "category")})
        text = clean_text(row.values.get("text"))
        if not text:
            errors.append(_("意见内容不能为空"))
        elif len(text) > OPINION_MAX_CHARS:
            errors.append(_("意见内容不能超过%(n)d个字") % {"n": OPINION_MAX_CHARS})
        received_on = None
        try:
            received_on = parse_date(row.values.get("received_on"))
        except ValueError as exc:
            errors.append(_("收到日期：") + str(exc))
        else:
            if received_on > today:
                errors.append(_("收到日期不能晚于今天"))
        identity = _text(row, "identity")
        name, contact = clean_text(row.values.get("name")), clean_text(row.values.get("contact"))
        anonymous = identity in ANONYMOUS_WORDS
        if not anonymous and identity not in NAMED_WORDS:
            errors.append(_("署名方式“%(v)s”无法识别，请填“实名”或“匿名”") % {"v": identity})
        if anonymous and (name or contact):
            errors.append(_("匿名（背靠背）意见不能填写提出人姓名和联系方式"))
        if len(name) > 50:
            errors.append(_("提出人姓名不能超过50个字"))
        if len(contact) > 100:
            errors.append(_("联系方式不能超过100个字"))
        about = None
        if _text(row, "about"):
            about = people.get(_text(row, "about"))
            if about is None or unit is None or (about.pk, unit.pk) not in held:
                errors.append(_("涉及领导“%(c)s”不是该单位的任职人员") % {"c": _text(row, "about")})
        if errors:
            report.rejected.append(RowError(row.line, errors))
            continue
        assert unit is not None and campaign is not None and received_on is not None
        new.append(
            Opinion(
                unit=unit,
                unit_path=unit.path,
                campaign=campaign,
                channel=channel or "",
                category=category or "",
                text=text,
                received_on=received_on,
                is_anonymous=anonymous,
                submitter_name="" if anonymous else name,
                submitter_contact="" if anonymous else contact,
                about_person=about,
                source=OpinionSource.IMPORT,
                entered_by=actor,
            )
        )
    if report.rejected and not skip_errors:
        report.applied = False
        return report
    with transaction.atomic():
        for opinion, code in zip(new, _receipt_codes(len(new)), strict=True):
            opinion.receipt_code = code
            # Field checks only: the foreign keys and the anonymity rule were checked above,
            # without a query per row.
            opinion.clean_fields(
                exclude=["receipt_code", "unit", "campaign", "about_person", "entered_by", "group"]
            )
        for start in range(0, len(new), BATCH):
            bulk_create_with_history(
                new[start : start + BATCH], Opinion, batch_size=BATCH, default_user=actor
            )
            if progress:
                progress(min(start + BATCH, len(new)), len(new))
    report.created = len(new)
    return report
