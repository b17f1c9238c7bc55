"""Writes on plans, items, 销号, pointed problems, 专项整治 and the rules inventory.

Every function checks the actor's right first (``rectification.rights``, built on
``units.access``), locks the row it changes, re-checks state under the lock, then
saves with history attributed to the actor and records an append-only event.
Nothing else assigns a status.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_update_with_history

from campaign import clock
from campaign.audit import acting_as
from campaign.files import save_private
from campaign.models import Campaign
from campaign.services import check_version, save_validated
from materials import review as engine
from materials.choices import StepState, SubjectKind
from materials.models import Review, ReviewStep
from rectification import evidence, rights, source_registry
from rectification.choices import (
    WORKING_STATUSES,
    Acceptance,
    Handling,
    ItemAction,
    ItemStatus,
    ListKind,
    ParticipantRole,
    PlanAction,
    PlanStatus,
    PointedBy,
    Priority,
    ProjectPlanAction,
    ProjectPlanStatus,
    RuleJudgement,
    RuleStatus,
)
from rectification.models import (
    Evidence,
    ItemEvent,
    ItemParticipant,
    ItemSource,
    PlanEvent,
    PointedProblem,
    ProgressReport,
    ProjectPlanEvent,
    RectificationItem,
    RectificationPlan,
    Rule,
    RuleEvent,
    SpecialProject,
    SpecialProjectPlan,
    SpecialProjectScopeUnit,
)
from units.access import require, scope_for
from units.choices import GRASSROOTS_KINDS, LEADERSHIP_ROLES, PostRole, Role, UnitKind
from units.models import Organization, Person, Post, Unit

NO_EDIT = gettext_lazy("您不是该单位的班子成员、责任领导或活动办工作人员，不能修改其整改记录。")
NO_REPORT = gettext_lazy("您不是该事项的责任单位、牵头或配合单位，不能报告进展。")
NO_SIGN_OFF = gettext_lazy("销号须由派驻的督导组或上级活动办办理；整改责任方和申请人不能为自己销号。")
NO_MANAGE = gettext_lazy("只有活动办工作人员可以办理此项操作。")
ITEM_FIELDS = (
    "problem",
    "measure",
    "target",
    "responsible_leader",
    "responsible_unit",
    "handling",
    "deadline",
    "explanation",
    "priority",
)


# --- helpers -------------------------------------------------------------------


def _lock_item(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_for_update(of=("self",)).select_related("unit").get(pk=item.pk)


def _item_event(
    item: RectificationItem,
    *,
    action: str,
    actor: Any,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    actor_label: str = "",
) -> ItemEvent:
    event = ItemEvent(
        item=item,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=actor_label,
        on_date=clock.today(),
    )
    save_validated(event, actor=actor)
    return event


def _require_status(current: str, allowed: Iterable[str], message: str) -> None:
    if current not in allowed:
        raise ValidationError(message, code="state")


def _required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    return text


def _check_list_kind(unit: Unit, kind: str) -> None:
    """村、社区等基层组织列问题清单; other units file a 班子 plan and members' measures [003]."""
    grassroots = unit.kind in GRASSROOTS_KINDS
    if grassroots and kind != ListKind.GRASSROOTS:
        raise ValidationError(
            _("“%(unit)s”是基层组织，应列出问题清单和整改措施。") % {"unit": unit.name}, code="kind"
        )
    if not grassroots and kind == ListKind.GRASSROOTS:
        raise ValidationError(
            _("“%(unit)s”应制定领导班子整改方案和班子成员个人整改措施。") % {"unit": unit.name}, code="kind"
        )


def _check_team_member(unit: Unit, person: Person | None) -> Person:
    if person is None:
        raise ValidationError({"person": _("个人整改措施必须注明班子成员。")})
    holds = Post.objects.active(clock.today()).filter(unit=unit, person=person, role__in=LEADERSHIP_ROLES)
    if not holds.exists():
        raise ValidationError(
            {
                "person": _("“%(person)s”不是“%(unit)s”的现任班子成员。")
                % {"person": person, "unit": unit.name}
            }
        )
    return person


def _check_leader(unit: Unit, leader: Person | None) -> None:
    """The responsible leader holds a post in the unit or in a 党委 above it."""
    if leader is None:
        return
    paths = [unit.path[:i] for i in range(Unit.steplen, len(unit.path) + 1, Unit.steplen)]
    if not Post.objects.active(clock.today()).filter(person=leader, unit__path__in=paths).exists():
        raise ValidationError(
            {
                "responsible_leader": _("责任领导“%(person)s”不是本单位或上级党委的现任领导。")
                % {"person": leader}
            }
        )


def _apply_handling(item: RectificationItem, *, check_past: bool) -> None:
    """暂不具备条件: no deadline, an explanation to the public instead [003]."""
    if item.handling == Handling.NOT_YET:
        item.deadline = None
        if not item.explanation.strip():
            raise ValidationError({"explanation": _("暂不具备条件解决的事项，必须写明向群众的解释说明。")})
        return
    if item.deadline is None:
        raise ValidationError({"deadline": _("马上办和限期办的事项必须填写完成时限。")})
    if check_past and item.deadline < clock.today():
        raise ValidationError({"deadline": _("完成时限不能早于今天（%(day)s）。") % {"day": clock.today()}})


# --- plans ---------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    title: str,
    summary: str = "",
    person: Person | None = None,
) -> RectificationPlan:
    scope = scope_for(actor)
    own_measures = kind == ListKind.PERSONAL and person is not None and scope.person_id == person.pk
    require(rights.may_keep_records(scope, unit.path) or own_measures, str(NO_EDIT))
    _check_list_kind(unit, kind)
    if kind == ListKind.PERSONAL:
        person = _check_team_member(unit, person)
        if RectificationPlan.objects.filter(unit=unit, kind=kind, person=person).exists():
            raise ValidationError(_("“%(person)s”已有个人整改措施，请在原方案中修改。") % {"person": person})
    else:
        person = None
        if RectificationPlan.objects.filter(unit=unit, kind=kind).exists():
            raise ValidationError(
                _("“%(unit)s”已有%(kind)s，请在原方案中修改。")
                % {"unit": unit.name, "kind": ListKind(kind).label}
            )
    plan = RectificationPlan(
        unit=unit,
        unit_path=unit.path,
        area_path=rights.area_path_for(unit),
        kind=kind,
        person=person,
        title=_required_text(title, "title", _("标题")),
        summary=summary.strip(),
    )
    save_validated(plan, actor=actor)
    _plan_event(plan, action=PlanAction.CREATE, actor=actor, to_status=plan.status)
    return plan


def _plan_event(
    plan: RectificationPlan,
    *,
    action: str,
    actor: Any,
    from_status: str = "",
    to_status: str = "",
    step: str = "",
    opinion: str = "",
) -> None:
    event = PlanEvent(
        plan=plan,
        action=action,
        from_status=from_status,
        to_status=to_status,
        step=step,
        opinion=opinion,
        actor=actor,
        on_date=clock.today(),
    )
    save_validated(event, actor=actor)


def _lock_plan(plan: RectificationPlan) -> RectificationPlan:
    return (
        RectificationPlan.objects.select_for_update(of=("self",))
        .select_related("unit", "person", "review")
        .get(pk=plan.pk)
    )


def can_edit_plan(user: Any, plan: RectificationPlan) -> bool:
    scope = scope_for(user)
    if scope.is_anonymous:
        return False
    own = plan.kind == ListKind.PERSONAL and scope.person_id is not None and scope.person_id == plan.person_id
    return own or rights.may_keep_records(scope, plan.unit_path)


@transaction.atomic
def plan_update(
    *, actor: Any, plan: RectificationPlan, version: int | None, title: str, summary: str
) -> RectificationPlan:
    plan = _lock_plan(plan)
    require(can_edit_plan(actor, plan), str(NO_EDIT))
    check_version(plan, version)
    _require_status(
        plan.status, (PlanStatus.DRAFT, PlanStatus.RETURNED), _("方案已报送审核或已审核通过，不能再修改。")
    )
    plan.title = _required_text(title, "title", _("标题"))
    plan.summary = summary.strip()
    save_validated(plan, actor=actor, update_fields=["title", "summary"])
    return plan


def _campaign_of(unit: Unit) -> Campaign:
    """The (newest) campaign whose tree holds ``unit``: the review is recorded under it."""
    campaign = (
        Campaign.objects.filter(root_unit__path__in=[*unit.ancestor_paths(), unit.path])
        .order_by("-start_date", "-pk")
        .first()
    )
    if campaign is None:
        raise ValidationError(_("“%(unit)s”不在教育实践活动范围内，不能报送审核。") % {"unit": unit.name})
    return campaign


def _plan_author(plan: RectificationPlan) -> Person:
    """Whose plan the review is about: the member for his own measures; for a 班子 plan or a
    grassroots list, the unit's principal (failing one, its government head). Nobody reviews
    his own plan, and the chain reads the rank of whoever leads the unit."""
    if plan.kind == ListKind.PERSONAL and plan.person is not None:
        return plan.person
    leaders = sorted(
        Post.objects.active(clock.today())
        .filter(unit=plan.unit, role__in=[PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD])
        .select_related("person"),
        key=lambda post: (post.role != PostRole.PRINCIPAL, post.sort_order, post.pk),
    )
    if not leaders:
        raise ValidationError(
            _("“%(unit)s”没有在任的主要负责同志，不能报送审核；请先登记领导班子。") % {"unit": plan.unit.name}
        )
    return leaders[0].person


@transaction.atomic
def plan_submit(*, actor: Any, plan: RectificationPlan, version: int | None) -> RectificationPlan:
    """报送审核: into its review chain (``materials.review``; the chains are data, see
    ``rectification.review_chains``). A returned plan starts a new round of the same review."""
    plan = _lock_plan(plan)
    require(can_edit_plan(actor, plan), str(NO_EDIT))
    check_version(plan, version)
    _require_status(plan.status, (PlanStatus.DRAFT, PlanStatus.RETURNED), _("方案已报送，不能重复报送。"))
    if not plan.items.exclude(status=ItemStatus.WITHDRAWN).exists():
        raise ValidationError(_("整改清单还没有事项，请先列出整改事项再报送。"))
    previous = plan.status
    plan.status = PlanStatus.IN_REVIEW
    plan.submitted_on = clock.today()
    save_validated(plan, actor=actor, update_fields=["status", "submitted_on"])
    review = engine.review_submit(
        actor=actor,
        review=plan.review,
        subject_kind=SubjectKind.RECTIFICATION_PLAN,
        subject_id=plan.pk,
        campaign_id=_campaign_of(plan.unit).pk,
        unit=plan.unit,
        author=_plan_author(plan),
        is_body=plan.kind != ListKind.PERSONAL,
        variant=plan.kind,
        title=plan.title,
        subject_version=None,
    )
    if plan.review_id is None:
        plan.review = review
        save_validated(plan, actor=actor, update_fields=["review"])
    first = (
        ReviewStep.objects.filter(review=review, round=review.round, state=StepState.OPEN)
        .order_by("order")
        .first()
    )
    _plan_event(
        plan,
        action=PlanAction.SUBMIT,
        actor=actor,
        from_status=previous,
        to_status=plan.status,
        step=first.name if first else "",
    )
    return plan


class PlanReviewHandler:
    """What the review engine does to a plan when its review moves (inside the engine's
    transaction); registered for ``SubjectKind.RECTIFICATION_PLAN`` in ``RectificationConfig``."""

    def url(self, subject_id: int) -> str:
        return reverse("rectification:plan", args=[subject_id])

    def visible(self, user: Any, subject_id: int) -> bool:
        from rectification.selectors import plans_visible_to

        return plans_visible_to(user).filter(pk=subject_id).exists()

    def grant_read(self, review: Review, users: list[Any]) -> None:
        # One INSERT for all of them, skipping grants they hold (see MaterialHandler.grant_read).
        assign_perm("rectification.view_rectificationplan", users, RectificationPlan(pk=review.subject_id))

    def after_returned(self, review: Review, action: str, actor: Any) -> None:
        self._finish(review, actor, PlanStatus.RETURNED, PlanAction.RETURN)

    def after_approved(self, review: Review, actor: Any) -> None:
        plan = self._finish(review, actor, PlanStatus.APPROVED, PlanAction.PASS)
        if plan.kind == ListKind.GRASSROOTS:
            # 村、社区等基层组织的整改清单和整改措施要向群众公布 [003].
            _publish(plan, actor=actor)

    def _finish(self, review: Review, actor: Any, status: str, action: str) -> RectificationPlan:
        plan = _lock_plan(RectificationPlan(pk=review.subject_id))
        _require_status(plan.status, (PlanStatus.IN_REVIEW,), _("该方案不在审核中。"))
        decision = review.actions.filter(step__isnull=False).select_related("step").order_by("-pk").first()
        previous = plan.status
        plan.status = status
        fields = ["status"]
        if status == PlanStatus.APPROVED:
            plan.approved_on = clock.today()
            fields.append("approved_on")
        save_validated(plan, actor=actor, update_fields=fields)
        _plan_event(
            plan,
            action=action,
            actor=actor,
            from_status=previous,
            to_status=plan.status,
            step=decision.step.name if decision and decision.step else "",
            opinion=decision.opinion if decision else "",
        )
        return plan


def _publish(plan: RectificationPlan, *, actor: Any) -> None:
    plan.published = True
    plan.published_on = clock.today()
    save_validated(plan, actor=actor, update_fields=["published", "published_on"])
    items = list(plan.items.select_for_update().filter(is_public=False))
    for item in items:
        item.is_public = True
        item.version += 1
    if items:
        bulk_update_with_history(items, RectificationItem, ["is_public", "version"], default_user=actor)
    _plan_event(plan, action=PlanAction.PUBLISH, actor=actor, from_status=plan.status, to_status=plan.status)


@transaction.atomic
def plan_publish(*, actor: Any, plan: RectificationPlan, version: int | None) -> RectificationPlan:
    """开门整改: the office publishes an approved 班子 plan and its list on the unit's public page."""
    plan = _lock_plan(plan)
    require(scope_for(actor).is_superuser or scope_for(actor).can_manage(plan.unit_path), str(NO_MANAGE))
    check_version(plan, version)
    if plan.kind == ListKind.PERSONAL:
        raise ValidationError(_("班子成员个人整改措施只在班子或单位内部公开，不能向社会公开。"))
    _require_status(plan.status, (PlanStatus.APPROVED,), _("方案审核通过后才能公开。"))
    if plan.published:
        raise ValidationError(_("该方案已经公开。"))
    _publish(plan, actor=actor)
    return plan


# --- items ---------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    actor: Any,
    unit: Unit | None = None,
    plan: RectificationPlan | None = None,
    kind: str | None = None,
    person: Person | None = None,
    problem: str,
    measure: str,
    target: str,
    responsible_unit: str,
    handling: str,
    deadline: datetime.date | None = None,
    explanation: str = "",
    priority: str = Priority.NORMAL,
    responsible_leader: Person | None = None,
    sources: Sequence[tuple[str, int]] = (),
) -> RectificationItem:
    """Open an item in a plan's list, or on its own at any stage (立行立改)."""
    scope = scope_for(actor)
    if plan is not None:
        plan = _lock_plan(plan)
        unit, kind, person = plan.unit, plan.kind, plan.person
        require(can_edit_plan(actor, plan), str(NO_EDIT))
        _require_status(
            plan.status,
            (PlanStatus.DRAFT, PlanStatus.RETURNED),
            _("方案已报送审核或已审核通过，不能再增加事项；新发现的问题可单独立项，立行立改。"),
        )
    else:
        if unit is None:
            raise ValidationError(_("请指明整改事项所属的单位。"))
        kind = kind or (ListKind.GRASSROOTS if unit.kind in GRASSROOTS_KINDS else ListKind.TEAM)
        own_measures = kind == ListKind.PERSONAL and person is not None and scope.person_id == person.pk
        require(rights.may_keep_records(scope, unit.path) or own_measures, str(NO_EDIT))
        _check_list_kind(unit, kind)
        person = _check_team_member(unit, person) if kind == ListKind.PERSONAL else None
    _check_leader(unit, responsible_leader)
    item = RectificationItem(
        unit=unit,
        unit_path=unit.path,
        area_path=plan.area_path if plan is not None else rights.area_path_for(unit),
        plan=plan,
        kind=kind,
        person=person,
        problem=_required_text(problem, "problem", _("问题")),
        measure=_required_text(measure, "measure", _("整改措施")),
        target=_required_text(target, "target", _("整改目标")),
        responsible_leader=responsible_leader,
        responsible_unit=_required_text(responsible_unit, "responsible_unit", _("责任单位")),
        handling=handling,
        deadline=deadline,
        explanation=explanation.strip(),
        priority=priority,
        status=ItemStatus.OPEN,
        opened_on=clock.today(),
        is_public=bool(plan is not None and plan.published and kind != ListKind.PERSONAL),
    )
    _apply_handling(item, check_past=True)
    save_validated(item, actor=actor)
    _item_event(item, action=ItemAction.CREATE, actor=actor, to_status=item.status)
    for source_kind, source_id in sources:
        _link_source(item, source_kind, source_id, actor=actor)
    if sources:
        save_validated(item, actor=actor, update_fields=["source_count"])
    return item


def _field_label(name: str) -> str:
    return str(getattr(RectificationItem._meta.get_field(name), "verbose_name", name))


@transaction.atomic
def item_update(
    *, actor: Any, item: RectificationItem, version: int | None, **fields: Any
) -> RectificationItem:
    """Change the item's 四有 (problem, measure, target, responsibility, deadline, class)."""
    item = _lock_item(item)
    require(rights.can_edit_item(actor, item), str(NO_EDIT))
    check_version(item, version)
    _require_status(item.status, WORKING_STATUSES, _("已申请销号、已销号或已撤销的事项不能再修改。"))
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    old_deadline = item.deadline
    changed = []
    for name, value in fields.items():
        if name in ("problem", "measure", "target", "responsible_unit"):
            value = _required_text(value, name, _field_label(name))
        elif name == "explanation":
            value = (value or "").strip()
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    if "responsible_leader" in changed:
        _check_leader(item.unit, item.responsible_leader)
    _apply_handling(item, check_past=item.deadline != old_deadline)
    if item.deadline != old_deadline and "deadline" not in changed:
        changed.append("deadline")
    if not changed:
        return item
    save_validated(item, actor=actor, update_fields=changed)
    labels = "、".join(_field_label(n) for n in changed)
    _item_event(
        item,
        action=ItemAction.UPDATE,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=labels,
    )
    return item


class _Stored:
    """An upload renamed to the suffix of its real kind before it is stored."""

    def __init__(self, upload: Any, suffix: str) -> None:
        self._upload = upload
        self.name = f"evidence{suffix}"

    def chunks(self) -> Any:
        self._upload.seek(0)
        return self._upload.chunks()


@transaction.atomic
def item_report_progress(
    *, actor: Any, item: RectificationItem, text: str, files: Sequence[Any] = ()
) -> ProgressReport:
    """报告整改进展 with 佐证材料; a first report moves the item to 整改中."""
    item = _lock_item(item)
    require(rights.can_report_item(actor, item), str(NO_REPORT))
    _require_status(item.status, WORKING_STATUSES, _("该事项已申请销号、已销号或已撤销，不能再报告进展。"))
    text = _required_text(text, "text", _("进展情况"))
    if len(files) > evidence.MAX_FILES_PER_REPORT:
        raise ValidationError(
            {"files": _("一次最多上传 %(n)d 个文件。") % {"n": evidence.MAX_FILES_PER_REPORT}}
        )
    kinds = []
    for upload in files:  # every file is checked before anything is stored
        try:
            kinds.append(evidence.sniff(upload))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    report = ProgressReport(item=item, text=text, reported_by=actor, on_date=clock.today())
    save_validated(report, actor=actor)
    for upload, kind in zip(files, kinds, strict=True):
        stored = save_private(_Stored(upload, evidence.SUFFIX[kind]), "rectification/evidence")
        save_validated(
            Evidence(
                item=item,
                report=report,
                kind=kind,
                original_name=evidence.display_name(upload.name),
                stored_as=stored,
                size=upload.size,
                uploaded_by=actor,
            ),
            actor=actor,
        )
    previous = item.status
    item.status = ItemStatus.IN_PROGRESS
    item.last_progress = text
    item.last_progress_on = report.on_date
    item.evidence_count += len(files)
    save_validated(
        item, actor=actor, update_fields=["status", "last_progress", "last_progress_on", "evidence_count"]
    )
    _item_event(
        item,
        action=ItemAction.REPORT,
        actor=actor,
        from_status=previous,
        to_status=item.status,
        reason=text[:200],
    )
    return report


@transaction.atomic
def item_request_close(
    *, actor: Any, item: RectificationItem, version: int | None, note: str = ""
) -> RectificationItem:
    """申请销号: the owner (or the lead unit) says the item is done."""
    item = _lock_item(item)
    scope = scope_for(actor)
    lead = any(p.role == ParticipantRole.LEAD for p in rights.participating_units(scope, item))
    require(rights.can_edit_item(actor, item) or lead, str(NO_EDIT))
    check_version(item, version)
    _require_status(item.status, WORKING_STATUSES, _("只有待整改或整改中的事项可以申请销号。"))
    if not item.reports.exists():
        raise ValidationError(_("请先报告整改进展并上传佐证材料，再申请销号。"))
    previous = item.status
    item.status = ItemStatus.CLOSE_REQUESTED
    item.close_requested_by = actor
    save_validated(item, actor=actor, update_fields=["status", "close_requested_by"])
    _item_event(
        item,
        action=ItemAction.REQUEST_CLOSE,
        actor=actor,
        from_status=previous,
        to_status=item.status,
        reason=note.strip(),
    )
    return item


@transaction.atomic
def item_sign_off(
    *, actor: Any, item: RectificationItem, version: int | None, opinion: str = ""
) -> RectificationItem:
    """销号: the 督导组 or an upper office confirms the item is done."""
    item = _lock_item(item)
    require(rights.can_sign_off_item(actor, item), str(NO_SIGN_OFF))
    check_version(item, version)
    _require_status(item.status, (ItemStatus.CLOSE_REQUESTED,), _("只有申请销号的事项才能销号。"))
    previous = item.status
    item.status = ItemStatus.CLOSED
    item.closed_on = clock.today()
    save_validated(item, actor=actor, update_fields=["status", "closed_on"])
    _item_event(
        item,
        action=ItemAction.SIGN_OFF,
        actor=actor,
        from_status=previous,
        to_status=item.status,
        reason=opinion.strip(),
    )
    return item


@transaction.atomic
def item_send_back(
    *, actor: Any, item: RectificationItem, version: int | None, reason: str
) -> RectificationItem:
    """退回: the signer finds the item not done; the owner keeps working on it."""
    item = _lock_item(item)
    require(rights.can_sign_off_item(actor, item), str(NO_SIGN_OFF))
    check_version(item, version)
    _require_status(item.status, (ItemStatus.CLOSE_REQUESTED,), _("只有申请销号的事项才能退回。"))
    reason = _required_text(reason, "reason", _("退回理由"))
    previous = item.status
    item.status = ItemStatus.IN_PROGRESS
    item.close_requested_by = None
    save_validated(item, actor=actor, update_fields=["status", "close_requested_by"])
    _item_event(
        item,
        action=ItemAction.SEND_BACK,
        actor=actor,
        from_status=previous,
        to_status=item.status,
        reason=reason,
    )
    return item


def _reopen(item: RectificationItem, *, actor: Any, reason: str, actor_label: str = "") -> None:
    previous = item.status
    item.status = ItemStatus.IN_PROGRESS
    item.closed_on = None
    item.close_requested_by = None
    item.reopen_count += 1
    save_validated(
        item, actor=actor, update_fields=["status", "closed_on", "close_requested_by", "reopen_count"]
    )
    _item_event(
        item,
        action=ItemAction.REOPEN,
        actor=actor,
        from_status=previous,
        to_status=item.status,
        reason=reason,
        actor_label=actor_label,
    )


@transaction.atomic
def item_reopen(
    *, actor: Any, item: RectificationItem, version: int | None, reason: str
) -> RectificationItem:
    """复号: a closed item relapsed (反弹); it goes back to work, its history kept."""
    item = _lock_item(item)
    require(rights.can_sign_off_item(actor, item), _("复号须由派驻的督导组或上级活动办办理。"))
    check_version(item, version)
    _require_status(item.status, (ItemStatus.CLOSED,), _("只有已销号的事项才能复号。"))
    _reopen(item, actor=actor, reason=_required_text(reason, "reason", _("复号理由")))
    return item


@transaction.atomic
def item_reopen_on_rating(
    *, item: RectificationItem, reason: str, actor: Any = None, actor_label: str = ""
) -> bool:
    """复号 after the public rated a closed item below the threshold (called by the survey engine).

    No user acts: the event says who (``actor_label``, 群众评价 by default). Returns
    False, changing nothing, when the item is no longer closed.
    """
    item = _lock_item(item)
    if item.status != ItemStatus.CLOSED:
        return False
    _reopen(
        item,
        actor=actor,
        reason=_required_text(reason, "reason", _("复号理由")),
        actor_label=actor_label or _("群众评价"),
    )
    return True


@transaction.atomic
def item_withdraw(
    *, actor: Any, item: RectificationItem, version: int | None, reason: str
) -> RectificationItem:
    """撤销 an item opened by mistake; it stays on record and answers no source."""
    item = _lock_item(item)
    require(rights.can_manage_item(actor, item), str(NO_MANAGE))
    check_version(item, version)
    _require_status(item.status, WORKING_STATUSES, _("只有待整改或整改中的事项可以撤销。"))
    reason = _required_text(reason, "reason", _("撤销理由"))
    previous = item.status
    item.status = ItemStatus.WITHDRAWN
    save_validated(item, actor=actor, update_fields=["status"])
    _item_event(
        item,
        action=ItemAction.WITHDRAW,
        actor=actor,
        from_status=previous,
        to_status=item.status,
        reason=reason,
    )
    return item


def _link_source(item: RectificationItem, kind: str, source_id: int, *, actor: Any) -> ItemSource:
    provider = source_registry.provider_for(kind)
    if provider is None:
        raise ValidationError(_("“%(kind)s”类问题来源尚未启用。") % {"kind": kind})
    info = provider.describe([source_id]).get(source_id)
    if info is None:
        raise ValidationError(_("问题来源不存在。"))
    if info.unit_id != item.unit_id:
        raise ValidationError(_("该问题来源不属于“%(unit)s”。") % {"unit": item.unit.name})
    if ItemSource.objects.filter(item=item, source_kind=kind, source_id=source_id).exists():
        raise ValidationError(_("该事项已关联这个问题来源。"))
    link = ItemSource(item=item, source_kind=kind, source_id=source_id, linked_by=actor)
    save_validated(link, actor=actor)
    item.source_count += 1
    _item_event(
        item,
        action=ItemAction.LINK_SOURCE,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=f"{info.kind_label}：{info.label}"[:500],
    )
    return link


@transaction.atomic
def item_link_source(*, actor: Any, item: RectificationItem, kind: str, source_id: int) -> ItemSource:
    """The item answers a source (one of the "四个回应")."""
    item = _lock_item(item)
    require(rights.can_edit_item(actor, item), str(NO_EDIT))
    _require_status(
        item.status,
        (*WORKING_STATUSES, ItemStatus.CLOSE_REQUESTED),
        _("已销号或已撤销的事项不能再关联问题来源。"),
    )
    link = _link_source(item, kind, source_id, actor=actor)
    save_validated(item, actor=actor, update_fields=["source_count"])
    return link


@transaction.atomic
def item_unlink_source(*, actor: Any, link: ItemSource) -> None:
    item = _lock_item(link.item)
    require(rights.can_edit_item(actor, item), str(NO_EDIT))
    _require_status(
        item.status,
        (*WORKING_STATUSES, ItemStatus.CLOSE_REQUESTED),
        _("已销号或已撤销的事项不能再修改问题来源。"),
    )
    link = ItemSource.objects.select_for_update().get(pk=link.pk)
    info = source_registry.describe([(link.source_kind, link.source_id)]).get(
        (link.source_kind, link.source_id)
    )
    with acting_as(actor):
        link.delete()  # the link's history keeps it
    item.source_count = max(item.source_count - 1, 0)
    save_validated(item, actor=actor, update_fields=["source_count"])
    label = (
        f"{info.kind_label}：{info.label}" if info else f"{link.get_source_kind_display()} #{link.source_id}"
    )
    _item_event(
        item,
        action=ItemAction.UNLINK_SOURCE,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=label[:500],
    )


@transaction.atomic
def item_request_help(
    *, actor: Any, item: RectificationItem, version: int | None, note: str
) -> RectificationItem:
    """需要上级帮助解决: the item appears in the upper offices' lists (上下联动 [000][003])."""
    item = _lock_item(item)
    require(rights.can_edit_item(actor, item), str(NO_EDIT))
    check_version(item, version)
    _require_status(item.status, WORKING_STATUSES, _("只有待整改或整改中的事项可以提请上级帮助解决。"))
    if item.needs_upper_help:
        raise ValidationError(_("该事项已提请上级帮助解决。"))
    item.needs_upper_help = True
    item.help_note = _required_text(note, "note", _("需要上级帮助解决的事项"))
    save_validated(item, actor=actor, update_fields=["needs_upper_help", "help_note"])
    _item_event(
        item,
        action=ItemAction.REQUEST_HELP,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=item.help_note,
    )
    return item


def _add_participant(item: RectificationItem, unit: Unit, role: str, *, actor: Any) -> ItemParticipant:
    if unit.pk == item.unit_id:
        raise ValidationError(_("“%(unit)s”是该事项的责任单位本身。") % {"unit": unit.name})
    if ItemParticipant.objects.filter(item=item, unit=unit).exists():
        raise ValidationError(_("“%(unit)s”已参与此事项。") % {"unit": unit.name})
    participant = ItemParticipant(item=item, unit=unit, unit_path=unit.path, role=role, added_by=actor)
    save_validated(participant, actor=actor)
    return participant


@transaction.atomic
def item_claim(*, actor: Any, item: RectificationItem, unit: Unit) -> ItemParticipant:
    """An upper department claims an item (该上级主动的上级要主动认领 [003])."""
    item = _lock_item(item)
    scope = scope_for(actor)
    require(
        rights.may_keep_records(scope, unit.path),
        _("只有认领单位的班子成员或管理该单位的活动办可以办理认领。"),
    )
    _require_status(item.status, WORKING_STATUSES, _("只有待整改或整改中的事项可以认领。"))
    item_area = item.area_path
    claimant_area = rights.area_path_for(unit)
    if not (item_area.startswith(claimant_area) and len(claimant_area) < len(item_area)):
        raise ValidationError(
            _("“%(unit)s”不是“%(owner)s”的上级部门，不能认领。")
            % {"unit": unit.name, "owner": item.unit.name}
        )
    if item.claimed_by_id is not None:
        raise ValidationError(_("该事项已由其他上级部门认领。"))
    participant = _add_participant(item, unit, ParticipantRole.CLAIMED, actor=actor)
    item.claimed_by = unit
    save_validated(item, actor=actor, update_fields=["claimed_by"])
    _item_event(
        item,
        action=ItemAction.CLAIM,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=unit.name,
    )
    return participant


@transaction.atomic
def item_add_participant(*, actor: Any, item: RectificationItem, unit: Unit, role: str) -> ItemParticipant:
    """名 a 牵头单位 or 配合单位; their users then see the item and may report on it."""
    item = _lock_item(item)
    require(rights.can_edit_item(actor, item), str(NO_EDIT))
    if role not in (ParticipantRole.LEAD, ParticipantRole.COOPERATE):
        raise ValidationError(_("请选择牵头单位或配合单位。"))
    item_area = item.area_path
    scope = scope_for(actor)
    if not (unit.path.startswith(item_area) or scope.reaches(unit.path)):
        raise ValidationError(_("“%(unit)s”不在本地区范围内。") % {"unit": unit.name})
    if role == ParticipantRole.LEAD and item.participants.filter(role=ParticipantRole.LEAD).exists():
        raise ValidationError(_("该事项已有牵头单位。"))
    participant = _add_participant(item, unit, role, actor=actor)
    _item_event(
        item,
        action=ItemAction.ADD_PARTICIPANT,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=f"{ParticipantRole(role).label}：{unit.name}",
    )
    return participant


GRANTABLE = {
    "view_rectificationitem": gettext_lazy("查看"),
    "change_rectificationitem": gettext_lazy("查看并报告进展"),
    "sign_off_rectificationitem": gettext_lazy("销号"),
}


@transaction.atomic
def item_grant(*, actor: Any, item: RectificationItem, user: Any, codename: str) -> None:
    """Grant one user a right on one item (a cooperating unit's clerk, a delegated signer)."""
    item = _lock_item(item)
    require(rights.can_manage_item(actor, item), str(NO_MANAGE))
    if codename not in GRANTABLE:
        raise ValidationError(_("无法授予该权限。"))
    if codename == "sign_off_rectificationitem" and rights.is_owner(scope_for(user), item):
        raise ValidationError(_("不能把销号权授予整改责任方。"))
    assign_perm(f"rectification.{codename}", user, item)
    if codename != "view_rectificationitem":
        assign_perm("rectification.view_rectificationitem", user, item)
    _item_event(
        item,
        action=ItemAction.GRANT,
        actor=actor,
        from_status=item.status,
        to_status=item.status,
        reason=f"{user.get_full_name() or user.get_username()}：{GRANTABLE[codename]}",
    )


# --- problems pointed out by superiors -----------------------------------------


@transaction.atomic
def pointed_problem_create(
    *,
    actor: Any,
    unit: Unit,
    text: str,
    pointed_by: str,
    pointed_by_name: str = "",
    pointed_by_org: Organization | None = None,
    pointed_on: datetime.date | None = None,
) -> PointedProblem:
    """Record a problem the 督导组 or an upper 党组织/活动办 pointed out (上级点明的问题)."""
    scope = scope_for(actor)
    require(
        scope.is_superuser
        or scope.can_manage(unit.path)
        or scope.reaches(unit.path, roles=[Role.SUPERVISOR]),
        _("只有督导组和活动办可以登记上级点明的问题。"),
    )
    if pointed_by not in PointedBy.values:
        raise ValidationError({"pointed_by": _("请选择提出方。")})
    name = (pointed_by_org.name if pointed_by_org is not None else pointed_by_name).strip()
    problem = PointedProblem(
        unit=unit,
        unit_path=unit.path,
        text=_required_text(text, "text", _("问题")),
        pointed_by=pointed_by,
        pointed_by_org=pointed_by_org,
        pointed_by_name=_required_text(name, "pointed_by_name", _("提出方名称")),
        pointed_on=pointed_on or clock.today(),
        recorded_by=actor,
    )
    save_validated(problem, actor=actor)
    return problem


# --- 专项整治 -------------------------------------------------------------------


@transaction.atomic
def special_project_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    number: int = 1,
    description: str = "",
    origin: str = "",
    scope_kinds: Sequence[str] = (),
    scope_units: Sequence[Unit] = (),
    deadline: datetime.date | None = None,
) -> SpecialProject:
    """An office deploys a 专项整治 to the units under it (top-down [003])."""
    scope = scope_for(actor)
    require(scope.is_superuser or scope.can_manage(unit.path), _("只有本级活动办可以部署专项整治。"))
    if not unit.is_territorial:
        raise ValidationError(_("专项整治由地方党委部署。"))
    bad_kinds = [k for k in scope_kinds if k not in UnitKind.values]
    if bad_kinds:
        raise ValidationError({"scope_kinds": _("无法识别的单位类型：%(k)s") % {"k": "、".join(bad_kinds)}})
    outside = [u.name for u in scope_units if not u.path.startswith(unit.path)]
    if outside:
        raise ValidationError(
            {
                "scope_units": _("这些单位不在“%(unit)s”之下：%(names)s")
                % {"unit": unit.name, "names": "、".join(outside)}
            }
        )
    project = SpecialProject(
        unit=unit,
        unit_path=unit.path,
        number=number,
        title=_required_text(title, "title", _("名称")),
        description=description.strip(),
        origin=origin.strip(),
        scope_kinds="," + ",".join(scope_kinds) + "," if scope_kinds else "",
        deadline=deadline,
    )
    save_validated(project, actor=actor)
    for scope_unit in scope_units:
        save_validated(
            SpecialProjectScopeUnit(project=project, unit=scope_unit, unit_path=scope_unit.path), actor=actor
        )
    return project


def project_covers(project: SpecialProject, unit: Unit) -> bool:
    """Whether ``unit`` is in the project's scope (no query unless scope units are listed)."""
    if not unit.path.startswith(project.unit_path):
        return False
    if project.kinds and unit.kind not in project.kinds:
        return False
    limits = list(project.scope_units.values_list("unit_path", flat=True))
    return not limits or any(unit.path.startswith(p) for p in limits)


def _project_event(
    plan: SpecialProjectPlan,
    *,
    action: str,
    actor: Any,
    from_status: str = "",
    result: str = "",
    reason: str = "",
) -> None:
    save_validated(
        ProjectPlanEvent(
            plan=plan,
            action=action,
            from_status=from_status,
            to_status=plan.status,
            result=result,
            reason=reason,
            actor=actor,
            on_date=clock.today(),
        ),
        actor=actor,
    )


@transaction.atomic
def special_project_plan_file(
    *,
    actor: Any,
    project: SpecialProject,
    unit: Unit,
    lead_unit: str,
    responsible: str,
    deadline: datetime.date,
    measures: str,
    target: str = "",
    version: int | None = None,
) -> SpecialProjectPlan:
    """A unit in scope files (or revises) its 整治方案: 牵头单位, 责任主体, 进度时限, 推进措施."""
    scope = scope_for(actor)
    require(rights.may_keep_records(scope, unit.path), str(NO_EDIT))
    project = SpecialProject.objects.select_for_update().get(pk=project.pk)
    if not project_covers(project, unit):
        raise ValidationError(
            _("“%(unit)s”不在专项整治“%(project)s”的范围内。") % {"unit": unit.name, "project": project.title}
        )
    plan = SpecialProjectPlan.objects.select_for_update().filter(project=project, unit=unit).first()
    values = {
        "lead_unit": _required_text(lead_unit, "lead_unit", _("牵头单位")),
        "responsible": _required_text(responsible, "responsible", _("责任主体")),
        "deadline": deadline,
        "measures": _required_text(measures, "measures", _("推进措施")),
        "target": target.strip(),
    }
    if plan is None:
        plan = SpecialProjectPlan(
            project=project, unit=unit, unit_path=unit.path, area_path=rights.area_path_for(unit), **values
        )
        save_validated(plan, actor=actor)
        _project_event(plan, action=ProjectPlanAction.FILE, actor=actor)
        return plan
    check_version(plan, version)
    if plan.acceptance == Acceptance.PASSED:
        raise ValidationError(_("该专项整治已验收合格，方案不能再修改。"))
    for name, value in values.items():
        setattr(plan, name, value)
    save_validated(plan, actor=actor, update_fields=list(values))
    _project_event(plan, action=ProjectPlanAction.UPDATE, actor=actor, from_status=plan.status)
    return plan


_PLAN_ORDER: list[str] = [ProjectPlanStatus.FILED, ProjectPlanStatus.IN_PROGRESS, ProjectPlanStatus.DONE]


@transaction.atomic
def special_project_plan_report(
    *, actor: Any, plan: SpecialProjectPlan, version: int | None, status: str, progress: str
) -> SpecialProjectPlan:
    """项目化推进: report progress; the status only moves forward (方案 → 推进中 → 已完成)."""
    plan = SpecialProjectPlan.objects.select_for_update().get(pk=plan.pk)
    require(rights.may_keep_records(scope_for(actor), plan.unit_path), str(NO_EDIT))
    check_version(plan, version)
    if status not in _PLAN_ORDER or _PLAN_ORDER.index(status) < _PLAN_ORDER.index(plan.status):
        raise ValidationError({"status": _("整治状态只能向前推进。")})
    if plan.acceptance == Acceptance.PASSED:
        raise ValidationError(_("该专项整治已验收合格。"))
    previous = plan.status
    plan.status = status
    plan.progress = _required_text(progress, "progress", _("整治进展"))
    save_validated(plan, actor=actor, update_fields=["status", "progress"])
    _project_event(
        plan, action=ProjectPlanAction.REPORT, actor=actor, from_status=previous, reason=plan.progress
    )
    return plan


@transaction.atomic
def special_project_accept(
    *, actor: Any, plan: SpecialProjectPlan, version: int | None, passed: bool, reason: str = ""
) -> SpecialProjectPlan:
    """评估验收 by an office above the unit; 不合格 keeps the unit from closing [003]."""
    plan = SpecialProjectPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    scope = scope_for(actor)
    require(
        scope.is_superuser or rights.office_above(scope, plan.area_path),
        _("专项整治的评估验收由上级活动办组织。"),
    )
    check_version(plan, version)
    reason = reason.strip()
    if passed and plan.status != ProjectPlanStatus.DONE:
        raise ValidationError(_("该单位尚未完成整治，不能验收合格。"))
    if not passed and not reason:
        raise ValidationError({"reason": _("验收不合格的，必须写明原因。")})
    plan.acceptance = Acceptance.PASSED if passed else Acceptance.FAILED
    plan.acceptance_reason = reason
    plan.accepted_on = clock.today()
    save_validated(plan, actor=actor, update_fields=["acceptance", "acceptance_reason", "accepted_on"])
    _project_event(
        plan,
        action=ProjectPlanAction.ACCEPT,
        actor=actor,
        from_status=plan.status,
        result=plan.acceptance,
        reason=reason,
    )
    return plan


# --- 建章立制 -------------------------------------------------------------------


@transaction.atomic
def rule_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    judgement: str,
    owner: str,
    deadline: datetime.date | None = None,
    reason: str = "",
) -> Rule:
    """A line of the rules inventory: an existing rule judged, or a new one planned."""
    require(rights.may_keep_records(scope_for(actor), unit.path), str(NO_EDIT))
    if judgement not in RuleJudgement.values:
        raise ValidationError({"judgement": _("请选择梳理意见。")})
    rule = Rule(
        unit=unit,
        unit_path=unit.path,
        title=_required_text(title, "title", _("制度名称")),
        judgement=judgement,
        owner=_required_text(owner, "owner", _("责任主体")),
        deadline=deadline,
        reason=reason.strip(),
    )
    if judgement == RuleJudgement.KEEP:
        # 实践证明行之有效的予以重申、继续坚持 [003]: judged, nothing left to do.
        rule.status = RuleStatus.DONE
        rule.finished_on = clock.today()
    elif deadline is None:
        raise ValidationError({"deadline": _("废止、修订和新立的制度必须写明完成时限。")})
    save_validated(rule, actor=actor)
    if rule.status == RuleStatus.DONE:
        save_validated(
            RuleEvent(rule=rule, from_status=RuleStatus.PLANNED, to_status=rule.status, actor=actor),
            actor=actor,
        )
    return rule


@transaction.atomic
def rule_update(
    *,
    actor: Any,
    rule: Rule,
    version: int | None,
    title: str,
    owner: str,
    deadline: datetime.date | None,
    reason: str = "",
) -> Rule:
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    require(rights.may_keep_records(scope_for(actor), rule.unit_path), str(NO_EDIT))
    check_version(rule, version)
    _require_status(rule.status, (RuleStatus.PLANNED,), _("已完成的制度不能再修改。"))
    rule.title = _required_text(title, "title", _("制度名称"))
    rule.owner = _required_text(owner, "owner", _("责任主体"))
    rule.deadline = deadline
    rule.reason = reason.strip()
    save_validated(rule, actor=actor, update_fields=["title", "owner", "deadline", "reason"])
    return rule


@transaction.atomic
def rule_finish(
    *,
    actor: Any,
    rule: Rule,
    version: int | None,
    issued_on: datetime.date | None,
    doc_number: str = "",
    note: str = "",
) -> Rule:
    """The rule was issued, revised or abolished: record the date and 文号."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    require(rights.may_keep_records(scope_for(actor), rule.unit_path), str(NO_EDIT))
    check_version(rule, version)
    _require_status(rule.status, (RuleStatus.PLANNED,), _("该制度已经完成。"))
    doc_number = doc_number.strip()
    if issued_on is None:
        raise ValidationError({"issued_on": _("请填写印发（废止）日期。")})
    if rule.judgement in (RuleJudgement.NEW, RuleJudgement.REVISE) and not doc_number:
        raise ValidationError({"doc_number": _("新立或修订的制度，必须登记文号。")})
    if issued_on > clock.today():
        raise ValidationError({"issued_on": _("印发日期不能晚于今天。")})
    rule.status = RuleStatus.DONE
    rule.issued_on = issued_on
    rule.doc_number = doc_number
    rule.finished_on = clock.today()
    save_validated(rule, actor=actor, update_fields=["status", "issued_on", "doc_number", "finished_on"])
    save_validated(
        RuleEvent(
            rule=rule, from_status=RuleStatus.PLANNED, to_status=rule.status, note=note.strip(), actor=actor
        ),
        actor=actor,
    )
    return rule


# --- 台账 import and export (background jobs) -----------------------------------


@transaction.atomic
def ledger_import_start(*, actor: Any, unit: Unit, upload: Any, skip_errors: bool) -> Any:
    """Queue a re-import of progress from a 台账 file; it runs in a Celery worker."""
    from campaign.services import job_create
    from rectification.tasks import LEDGER_IMPORT, ledger_import_task

    require(rights.may_keep_records(scope_for(actor), unit.path), str(NO_EDIT))
    job = job_create(
        actor=actor, kind=LEDGER_IMPORT, upload=upload, params={"skip_errors": skip_errors, "unit": unit.code}
    )
    transaction.on_commit(lambda: ledger_import_task.delay(job.pk))
    return job


@transaction.atomic
def ledger_export_start(*, actor: Any, unit: Unit, filters: dict[str, str], filename: str) -> Any:
    """Queue the export of a large subtree's 台账."""
    from campaign.models import Job
    from rectification.tasks import LEDGER_EXPORT, ledger_export_task

    require(scope_for(actor).reaches(unit.path), _("您不能导出该单位的台账。"))
    job = Job(
        kind=LEDGER_EXPORT, user=actor, input_name=filename, params={"unit": unit.code, "filters": filters}
    )
    job.save()
    transaction.on_commit(lambda: ledger_export_task.delay(job.pk))
    return job
