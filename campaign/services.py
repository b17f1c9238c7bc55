"""Writes for the campaign itself, and the small helpers every service uses."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaign import clock
from campaign.audit import acting_as
from campaign.choices import LookBackStatus, Stage, StageAction, StageStatus, Verdict
from campaign.files import save_private
from campaign.gates import GateCheck, add_months, clean_params, get_condition
from campaign.gates import evaluate as evaluate_gates
from campaign.models import (
    Campaign,
    Gate,
    Job,
    LookBack,
    StageCalendar,
    StageEvent,
    UnitStage,
    WindowOverride,
)
from campaign.selectors import participating_units
from units.access import require, scope_for
from units.choices import Level, OrgKind, UnitKind
from units.models import SupervisionAssignment, Unit


def check_version(obj: models.Model, version: int | None) -> None:
    """Refuse a write based on a page that was loaded before the last change."""
    if version is not None and version != obj.version:  # type: ignore[attr-defined]
        raise ValidationError(_("该记录已被他人修改，请刷新页面后重试。"), code="stale")


def save_validated(obj: models.Model, *, actor: Any, update_fields: Iterable[str] | None = None) -> None:
    """full_clean() then save(), attributing the history row to ``actor``.

    With ``update_fields`` only those fields are validated (a status change does
    not re-check every foreign key with a query each).
    """
    fields = list(update_fields) if update_fields is not None else None
    if fields is not None and hasattr(obj, "version") and "version" not in fields:
        obj.version += 1
        fields.append("version")
    if fields is None:
        obj.full_clean()
    else:
        # Field checks only for what changes; constraints always (they span fields), unless
        # none of them can be broken by this save (a query each, on every status change).
        obj.clean_fields(exclude=[f.name for f in obj._meta.concrete_fields if f.name not in fields])
        obj.clean()
        if not _constraints_untouched(obj, fields):
            obj.validate_constraints()
    with acting_as(actor):
        obj.save(update_fields=fields)


def _constraints_untouched(obj: models.Model, fields: list[str]) -> bool:
    """Whether every constraint of ``obj`` is a plain unique constraint on columns this save
    leaves alone: the database already holds those values unique, so checking cannot fail.
    Anything else (a condition, an expression, a check, a deferred constraint) is checked."""
    changed = {obj._meta.get_field(name).name for name in fields}
    return all(
        isinstance(constraint, models.UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
        and not constraint.expressions
        and constraint.deferrable is None
        and changed.isdisjoint(constraint.fields)
        for _model, constraints in obj.get_constraints()
        for constraint in constraints
    )


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    root_unit: Unit,
    start_date: Any,
    end_date: Any,
    batch: int = 2,
    min_unit_months: int = 3,
) -> Campaign:
    require(scope_for(actor).can_manage(root_unit.path), _("只有本级活动办可以发起教育实践活动。"))
    campaign = Campaign(
        name=name,
        root_unit=root_unit,
        start_date=start_date,
        end_date=end_date,
        batch=batch,
        min_unit_months=min_unit_months,
    )
    save_validated(campaign, actor=actor)
    return campaign


@transaction.atomic
def campaign_set_rating_rule(
    *,
    actor: Any,
    campaign: Campaign,
    min_responses: int,
    threshold_numerator: int,
    threshold_denominator: int,
) -> Campaign:
    """开门整改's rule for the public rating of finished items: how many ratings count, and under
    which satisfied share an item is reopened. Applies to rounds started afterwards."""
    campaign = Campaign.objects.select_for_update().select_related("root_unit").get(pk=campaign.pk)
    require(scope_for(actor).can_manage(campaign.root_unit.path), _("只有本级活动办可以修改活动设置。"))
    if min_responses < 1:
        raise ValidationError({"rating_min_responses": _("最少评价人数至少为1。")})
    if not 0 < threshold_numerator <= threshold_denominator:
        raise ValidationError({"rating_threshold_numerator": _("满意率标准必须是0到1之间的分数，如 2/3。")})
    campaign.rating_min_responses = min_responses
    campaign.rating_threshold_numerator = threshold_numerator
    campaign.rating_threshold_denominator = threshold_denominator
    save_validated(
        campaign,
        actor=actor,
        update_fields=["rating_min_responses", "rating_threshold_numerator", "rating_threshold_denominator"],
    )
    return campaign


def job_create(*, actor: Any, kind: str, upload: Any = None, params: dict | None = None) -> Job:
    """Record a background job; the caller queues its task after commit."""
    job = Job(kind=kind, user=actor, params=params or {})
    if upload is not None:
        job.input_name = upload.name[:200]
        job.input_file = save_private(upload, "jobs")
    job.save()
    return job


# --- calendar ----------------------------------------------------------------

_NOT_OFFICE = _("您不是该单位或其上级的活动办工作人员。")


def _require_in_campaign(campaign: Campaign, unit: Unit) -> None:
    if not unit.path.startswith(campaign.root_unit.path):
        raise ValidationError(
            _("“%(unit)s”不在“%(campaign)s”的范围内。") % {"unit": unit, "campaign": campaign}
        )


@transaction.atomic
def calendar_set(
    *,
    actor: Any,
    campaign: Campaign,
    unit: Unit,
    interval_days: int,
    stage1_start: datetime.date,
    stage1_end: datetime.date,
    stage2_start: datetime.date,
    stage2_end: datetime.date,
    stage3_start: datetime.date,
    stage3_end: datetime.date,
    note: str = "",
    version: int | None = None,
) -> StageCalendar:
    """Set the calendar an office keeps for its area: its top level's windows and the stagger.

    Creates the calendar the first time, changes it afterwards (refusing a stale page).
    """
    require(scope_for(actor).can_manage(unit.path), _NOT_OFFICE)
    campaign = Campaign.objects.select_related("root_unit").get(pk=campaign.pk)
    _require_in_campaign(campaign, unit)
    if not unit.is_territorial or unit.level >= Level.VILLAGE:
        raise ValidationError(_("环节日程由市、县、乡镇党委（及省委）的活动办为本地区设置。"))
    calendar = StageCalendar.objects.select_for_update().filter(
        campaign=campaign, unit=unit
    ).first() or StageCalendar(campaign=campaign, unit=unit, unit_path=unit.path)
    if calendar.pk:
        check_version(calendar, version)
    calendar.top_level = max(unit.level, Level.CITY)
    calendar.interval_days = interval_days
    calendar.stage1_start, calendar.stage1_end = stage1_start, stage1_end
    calendar.stage2_start, calendar.stage2_end = stage2_start, stage2_end
    calendar.stage3_start, calendar.stage3_end = stage3_start, stage3_end
    calendar.note = note.strip()
    ordered = (
        stage1_start <= stage1_end
        and stage2_start <= stage2_end
        and stage3_start <= stage3_end
        and stage1_start <= stage2_start <= stage3_start
    )
    if not ordered:
        calendar.full_clean()  # says which window is out of order
    if stage1_start < campaign.start_date or stage3_end > campaign.end_date:
        raise ValidationError(
            _("各环节须在活动期间（%(start)s 至 %(end)s）之内。")
            % {"start": campaign.start_date, "end": campaign.end_date}
        )
    if stage3_end < add_months(stage1_start, campaign.min_unit_months):
        raise ValidationError(
            _("集中教育时间不少于%(m)s个月：第三环节最早应于 %(day)s 结束。")
            % {"m": campaign.min_unit_months, "day": add_months(stage1_start, campaign.min_unit_months)}
        )
    fields = [
        "top_level",
        "interval_days",
        "stage1_start",
        "stage1_end",
        "stage2_start",
        "stage2_end",
        "stage3_start",
        "stage3_end",
        "note",
    ]
    save_validated(calendar, actor=actor, update_fields=fields if calendar.pk else None)
    return calendar


@transaction.atomic
def window_override_set(
    *,
    actor: Any,
    campaign: Campaign,
    unit: Unit,
    stage: int,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    version: int | None = None,
) -> WindowOverride:
    """Give one unit its own window for one stage (wins over its level's calendar)."""
    require(scope_for(actor).can_manage(unit.path), _NOT_OFFICE)
    if not UnitStage.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError(_("“%(unit)s”尚未纳入本活动，请先开启活动。") % {"unit": unit})
    if not reason.strip():
        raise ValidationError({"reason": _("请写明调整日程的原因。")})
    return _override_write(
        actor=actor,
        campaign=campaign,
        unit=unit,
        stage=stage,
        start=start,
        end=end,
        reason=reason,
        version=version,
    )


def _override_write(
    *,
    actor: Any,
    campaign: Campaign,
    unit: Unit,
    stage: int,
    start: datetime.date,
    end: datetime.date,
    reason: str,
    version: int | None = None,
) -> WindowOverride:
    override = WindowOverride.objects.select_for_update().filter(
        campaign=campaign, unit=unit, stage=stage
    ).first() or WindowOverride(campaign=campaign, unit=unit, unit_path=unit.path, stage=stage)
    if override.pk:
        check_version(override, version)
    override.start, override.end, override.reason = start, end, reason.strip()[:200]
    save_validated(override, actor=actor, update_fields=["start", "end", "reason"] if override.pk else None)
    return override


# --- participation and stage moves ------------------------------------------


@transaction.atomic
def campaign_open(*, actor: Any, campaign: Campaign, root: Unit) -> int:
    """An office opens the campaign for its subtree: every participating unit gets its stage state.

    Units already open are left alone, so running it again after new units were added opens
    just those. Returns how many units were opened.
    """
    require(scope_for(actor).can_manage(root.path), _NOT_OFFICE)
    # Serialise concurrent openings of the same campaign (the unique constraint is the backstop).
    campaign = Campaign.objects.select_for_update().select_related("root_unit").get(pk=campaign.pk)
    _require_in_campaign(campaign, root)
    today = clock.today()
    already = UnitStage.objects.filter(campaign=campaign, unit=OuterRef("pk"))
    new_units = list(
        participating_units(campaign, root).filter(~Exists(already)).only("pk", "path").order_by("path")
    )
    states = [
        UnitStage(
            campaign=campaign,
            unit=unit,
            unit_path=unit.path,
            status=StageStatus.NOT_STARTED,
            entered_on=today,
        )
        for unit in new_units
    ]
    for offset in range(0, len(states), OPEN_BATCH):
        bulk_create_with_history(
            states[offset : offset + OPEN_BATCH], UnitStage, batch_size=OPEN_BATCH, default_user=actor
        )
    if states and states[0].pk is None:  # backends that do not return ids from bulk inserts
        ids = dict(
            UnitStage.objects.filter(campaign=campaign, unit__in=new_units).values_list("unit_id", "pk")
        )
        for state in states:
            state.pk = ids[state.unit_id]
    events = [
        StageEvent(
            campaign=campaign,
            unit_stage=state,
            unit_id=state.unit_id,
            unit_path=state.unit_path,
            action=StageAction.OPENED,
            to_status=StageStatus.NOT_STARTED,
            note=_("由%(root)s活动办开启") % {"root": root.name},
            actor=actor,
            occurred_on=today,
        )
        for state in states
    ]
    for offset in range(0, len(events), OPEN_BATCH):
        bulk_create_with_history(
            events[offset : offset + OPEN_BATCH], StageEvent, batch_size=OPEN_BATCH, default_user=actor
        )
    return len(states)


OPEN_BATCH = 500


def _lock_state(unit_stage: UnitStage) -> UnitStage:
    return (
        UnitStage.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign__root_unit")
        .get(pk=unit_stage.pk)
    )


def _event(
    state: UnitStage,
    *,
    actor: Any,
    action: str,
    before: tuple[str, int | None],
    note: str = "",
    lookback: LookBack | None = None,
) -> StageEvent:
    event = StageEvent(
        campaign_id=state.campaign_id,
        unit_stage=state,
        unit_id=state.unit_id,
        unit_path=state.unit_path,
        action=action,
        from_status=before[0],
        from_stage=before[1],
        to_status=state.status,
        to_stage=state.stage,
        note=note,
        lookback=lookback,
        actor=actor,
        occurred_on=clock.today(),
    )
    save_validated(event, actor=actor)
    return event


def gate_refusal(state: UnitStage, checks: list[GateCheck]) -> ValidationError:
    """One Chinese message per unmet gate: which gate, why, and where to fix it."""
    stage_label = Stage(state.stage).label if state.stage else ""
    messages = [
        _("“%(unit)s”尚未满足离开“%(stage)s”的关卡，不能进入下一环节：")
        % {"unit": state.unit.name, "stage": stage_label}
    ]
    for check in checks:
        messages.append(
            _("未满足“%(gate)s”（%(detail)s），请到%(where)s处理。")
            % {"gate": check.label, "detail": check.detail or _("无说明"), "where": check.fix_label}
        )
    return ValidationError(messages, code="gates_unmet")


@transaction.atomic
def unit_stage_advance(*, actor: Any, unit_stage: UnitStage, from_position: int, note: str = "") -> UnitStage:
    """Move a unit to its next stage: 未开始 → 第一环节 → 第二环节 → 第三环节 → 已完成.

    Only an office over the unit may do it. ``from_position`` is where the office saw the
    unit (0 = 未开始, 1–3 = that stage): if someone moved it meanwhile, nothing happens and
    the message says so. Leaving a stage needs every gate of that stage met (gates whose
    condition is not evaluated yet do not block) and no open 限期整改.
    """
    state = _lock_state(unit_stage)
    require(scope_for(actor).can_manage(state.unit_path), _("只有该单位的上级活动办可以推进环节。"))
    if state.position != from_position:
        raise ValidationError(
            _("“%(unit)s”已由他人推进，现在是“%(now)s”，本次操作没有执行。请刷新页面后再看。")
            % {"unit": state.unit.name, "now": state.position_label},
            code="stale",
        )
    if state.status == StageStatus.FINISHED:
        raise ValidationError(_("“%(unit)s”已完成全部环节。") % {"unit": state.unit.name})
    before = (state.status, state.stage)
    today = clock.today()
    if state.status == StageStatus.NOT_STARTED:
        state.status, state.stage, state.started_on = StageStatus.IN_PROGRESS, Stage.STUDY, today
        action = StageAction.STARTED
    else:
        blocking = [c for c in evaluate_gates(state.campaign, [state])[state.unit_id] if c.blocking]
        if blocking:
            raise gate_refusal(state, blocking)
        if state.stage == Stage.RECTIFICATION:
            state.status, state.stage, state.finished_on = StageStatus.FINISHED, None, today
            action = StageAction.FINISHED
        else:
            state.stage = (state.stage or 0) + 1
            action = StageAction.ADVANCED
    state.entered_on = today
    save_validated(
        state, actor=actor, update_fields=["status", "stage", "entered_on", "started_on", "finished_on"]
    )
    _event(state, actor=actor, action=action, before=before, note=note.strip())
    return state


# --- 回头看 -------------------------------------------------------------------


def supervising_assignment(actor: Any, campaign: Campaign, unit: Unit) -> SupervisionAssignment | None:
    """The assignment through which the actor's 督导组 covers ``unit`` (its own or an ancestor's), if any.

    One query; the nearest assignment wins.
    """
    person_id = scope_for(actor).person_id
    if person_id is None:
        return None
    today = clock.today()
    return (
        SupervisionAssignment.objects.active(today)
        .filter(
            unit__path__in=[*unit.ancestor_paths(), unit.path],
            group__kind=OrgKind.SUPERVISION_GROUP,
            group__campaign=campaign,
            group__memberships__person_id=person_id,
            group__memberships__start_date__lte=today,
        )
        .filter(Q(group__memberships__end_date__isnull=True) | Q(group__memberships__end_date__gte=today))
        .select_related("group")
        .order_by("-unit__depth")
        .first()
    )


def _current_window(state: UnitStage, stage: int) -> tuple[datetime.date, datetime.date] | None:
    from campaign.windows import CalendarBook

    unit = state.unit
    calendars = StageCalendar.objects.filter(
        campaign_id=state.campaign_id, unit_path__in=[*unit.ancestor_paths(), unit.path]
    )
    overrides = WindowOverride.objects.filter(campaign_id=state.campaign_id, unit=unit)
    book = CalendarBook(calendars, overrides)
    for window in book.windows(unit_id=unit.pk, unit_path=unit.path, level=unit.level):
        if window.stage == stage:
            return window.start, window.end
    return None


@transaction.atomic
def lookback_record(
    *,
    actor: Any,
    unit_stage: UnitStage,
    stage: int,
    verdict: str,
    findings: str,
    points: str = "",
    due_date: datetime.date | None = None,
) -> LookBack:
    """A member of the 督导组 covering the unit records a 回头看 of a stage, and its effect [002].

    - 通过: recorded, nothing else changes.
    - 限期整改: open until closed (lookback_close); the unit cannot leave its stage meanwhile.
    - 延时补课: the stage's window for this unit is extended to ``due_date``; the unit stays
      where it is.
    - 推倒重来: the unit is put back at the start of that stage, with the window
      today → ``due_date``; what was done stays in the history.
    A stage may be looked back on once the unit has entered it.
    """
    state = _lock_state(unit_stage)
    campaign = state.campaign
    assignment = supervising_assignment(actor, campaign, state.unit)
    require(assignment is not None, _("只有派驻该单位（或其上级单位）的督导组成员可以记录回头看。"))
    assert assignment is not None
    person_id = scope_for(actor).person_id
    assert person_id is not None  # a 督导组 seat belongs to a person
    today = clock.today()
    if state.status == StageStatus.NOT_STARTED:
        raise ValidationError(_("“%(unit)s”尚未启动，没有可以回头看的环节。") % {"unit": state.unit.name})
    if stage not in Stage.values:
        raise ValidationError({"stage": _("请选择环节。")})
    if state.status == StageStatus.IN_PROGRESS and stage > (state.stage or 0):
        raise ValidationError(
            {
                "stage": _("“%(unit)s”还没有进入“%(stage)s”。")
                % {"unit": state.unit.name, "stage": Stage(stage).label}
            }
        )
    findings, points = findings.strip(), points.strip()
    if not findings:
        raise ValidationError({"findings": _("请写明回头看意见。")})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("请选择回头看结论。")})
    if verdict == Verdict.PASSED:
        due_date = None
    else:
        if due_date is None:
            raise ValidationError(
                {"due_date": _("%(verdict)s须写明期限。") % {"verdict": Verdict(verdict).label}}
            )
        if due_date <= today:
            raise ValidationError({"due_date": _("期限应晚于今天（%(today)s）。") % {"today": today}})
        if not points:
            raise ValidationError({"points": _("请逐条写明要整改或补课的内容。")})
    window = _current_window(state, stage)
    if verdict == Verdict.EXTEND and window is not None and due_date is not None and due_date <= window[1]:
        raise ValidationError(
            {"due_date": _("延时补课应把期限延到现有结束日期 %(end)s 之后。") % {"end": window[1]}}
        )

    lookback = LookBack(
        campaign=campaign,
        unit_stage=state,
        unit_id=state.unit_id,
        unit_path=state.unit_path,
        stage=stage,
        verdict=verdict,
        findings=findings,
        points=points,
        due_date=due_date,
        status=LookBackStatus.OPEN if verdict == Verdict.RECTIFY else LookBackStatus.RECORDED,
        group=assignment.group,
        recorded_by_id=person_id,
        recorded_on=today,
    )
    save_validated(lookback, actor=actor)

    before = (state.status, state.stage)
    stage_label = Stage(stage).label
    summary = _("回头看“%(stage)s”：%(verdict)s") % {
        "stage": stage_label,
        "verdict": lookback.get_verdict_display(),
    }
    action = StageAction.LOOKBACK
    if verdict == Verdict.RECTIFY:
        summary += _("，限 %(due)s 前整改") % {"due": due_date}
    elif verdict == Verdict.EXTEND:
        assert due_date is not None
        start = window[0] if window is not None else today
        _override_write(
            actor=actor,
            campaign=campaign,
            unit=state.unit,
            stage=stage,
            start=min(start, due_date),
            end=due_date,
            reason=_("回头看延时补课（%(day)s）") % {"day": today},
        )
        summary += _("，“%(stage)s”延至 %(due)s") % {"stage": stage_label, "due": due_date}
        action = StageAction.EXTENDED
    elif verdict == Verdict.REDO:
        assert due_date is not None
        state.status, state.stage, state.finished_on = StageStatus.IN_PROGRESS, stage, None
        state.entered_on = today
        state.restarts += 1
        save_validated(
            state, actor=actor, update_fields=["status", "stage", "finished_on", "entered_on", "restarts"]
        )
        _override_write(
            actor=actor,
            campaign=campaign,
            unit=state.unit,
            stage=stage,
            start=today,
            end=due_date,
            reason=_("回头看推倒重来（%(day)s）") % {"day": today},
        )
        summary += _("，重新开展“%(stage)s”，限 %(due)s 前完成") % {"stage": stage_label, "due": due_date}
        action = StageAction.RESTARTED
    _event(state, actor=actor, action=action, before=before, note=summary, lookback=lookback)
    return lookback


@transaction.atomic
def lookback_close(*, actor: Any, lookback: LookBack, note: str, version: int | None = None) -> LookBack:
    """销号 of a 限期整改 once its points are fixed: by the 督导组 covering the unit, or its office."""
    lookback = (
        LookBack.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign", "unit_stage")
        .get(pk=lookback.pk)
    )
    scope = scope_for(actor)
    require(
        scope.can_manage(lookback.unit_path)
        or supervising_assignment(actor, lookback.campaign, lookback.unit) is not None,
        _("只有督导该单位的督导组或其上级活动办可以为限期整改销号。"),
    )
    check_version(lookback, version)
    if lookback.verdict != Verdict.RECTIFY:
        raise ValidationError(_("只有限期整改需要销号。"))
    if lookback.status != LookBackStatus.OPEN:
        raise ValidationError(_("该限期整改已于 %(day)s 销号。") % {"day": lookback.closed_on})
    if not note.strip():
        raise ValidationError({"note": _("请写明整改落实情况。")})
    lookback.status = LookBackStatus.CLOSED
    lookback.closed_on = clock.today()
    lookback.closed_by = actor
    lookback.close_note = note.strip()
    save_validated(lookback, actor=actor, update_fields=["status", "closed_on", "closed_by", "close_note"])
    state = lookback.unit_stage
    _event(
        state,
        actor=actor,
        action=StageAction.ORDER_CLOSED,
        before=(state.status, state.stage),
        note=_("“%(stage)s”回头看限期整改销号：%(note)s")
        % {"stage": lookback.get_stage_display(), "note": note.strip()},
        lookback=lookback,
    )
    return lookback


# --- gates -------------------------------------------------------------------


def _require_gate_editor(actor: Any, campaign: Campaign) -> None:
    require(
        scope_for(actor).can_manage(campaign.root_unit.path),
        _("只有活动发起单位（%(root)s）的活动办可以设置环节关卡。") % {"root": campaign.root_unit.name},
    )


def _clean_gate(
    *, campaign: Campaign, stage: int, condition: str, unit_kinds: list[str], params: Any, exclude: int | None
) -> tuple[list[str], dict[str, Any]]:
    found = get_condition(condition)
    if found is None:
        raise ValidationError({"condition": _("没有“%(key)s”这个关卡条件。") % {"key": condition}})
    if found.builtin:
        raise ValidationError(
            {"condition": _("“%(label)s”对所有环节、所有单位始终适用，无需设置。") % {"label": found.label}}
        )
    if stage not in Stage.values:
        raise ValidationError({"stage": _("请选择环节。")})
    kinds = sorted(set(unit_kinds or []))
    bad = [k for k in kinds if k not in UnitKind.values]
    if bad:
        raise ValidationError({"unit_kinds": _("没有这些单位类型：%(kinds)s") % {"kinds": "、".join(bad)}})
    cleaned = clean_params(condition, params)
    others = Gate.objects.filter(campaign=campaign, stage=stage, condition=condition, is_active=True)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if not kinds or not other.unit_kinds or set(kinds) & set(other.unit_kinds):
            raise ValidationError(
                _("“%(stage)s”已有关卡“%(label)s”适用于相同的单位类型，请修改原关卡。")
                % {"stage": Stage(stage).label, "label": found.label}
            )
    return kinds, cleaned


@transaction.atomic
def gate_create(
    *,
    actor: Any,
    campaign: Campaign,
    stage: int,
    condition: str,
    unit_kinds: list[str] | None = None,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> Gate:
    """Add a gate: units of ``unit_kinds`` (all when empty) must meet ``condition`` to leave ``stage``."""
    campaign = Campaign.objects.select_for_update().select_related("root_unit").get(pk=campaign.pk)
    _require_gate_editor(actor, campaign)
    kinds, cleaned = _clean_gate(
        campaign=campaign,
        stage=stage,
        condition=condition,
        unit_kinds=unit_kinds or [],
        params=params,
        exclude=None,
    )
    gate = Gate(
        campaign=campaign,
        stage=stage,
        condition=condition,
        unit_kinds=kinds,
        params=cleaned,
        note=note.strip(),
    )
    save_validated(gate, actor=actor)
    return gate


@transaction.atomic
def gate_update(
    *,
    actor: Any,
    gate: Gate,
    version: int | None,
    stage: int,
    condition: str,
    unit_kinds: list[str] | None,
    params: dict[str, Any] | None,
    is_active: bool,
    note: str = "",
) -> Gate:
    """Change a gate, or retire it (``is_active`` off); gates are never deleted."""
    gate = Gate.objects.select_for_update(of=("self",)).select_related("campaign__root_unit").get(pk=gate.pk)
    _require_gate_editor(actor, gate.campaign)
    check_version(gate, version)
    kinds, cleaned = (
        _clean_gate(
            campaign=gate.campaign,
            stage=stage,
            condition=condition,
            unit_kinds=unit_kinds or [],
            params=params,
            exclude=gate.pk,
        )
        if is_active
        else (sorted(set(unit_kinds or [])), params or {})
    )
    gate.stage, gate.condition, gate.unit_kinds, gate.params = stage, condition, kinds, cleaned
    gate.is_active, gate.note = is_active, note.strip()
    save_validated(
        gate, actor=actor, update_fields=["stage", "condition", "unit_kinds", "params", "is_active", "note"]
    )
    return gate
