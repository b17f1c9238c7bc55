"""Pages of 谈心谈话, 拟批评意见, the 专题民主生活会 / 组织生活会, 通报会 and 专题报告."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaign.forms import add_service_error
from campaign.views import render_history
from materials import meeting_selectors as ms
from materials import meeting_services, talk_services
from materials import review as engine
from materials import talk_selectors as ts
from materials.choices import SubjectKind
from materials.forms import ReassignForm
from materials.meeting_choices import (
    HELD_STATUSES,
    AttendeeCapacity,
    BriefingStatus,
    EventSubject,
    MeetingKind,
    MeetingStatus,
    ReportStatus,
)
from materials.meeting_forms import (
    AgendaForm,
    AppraisalForm,
    AttendeeForm,
    BriefingForm,
    BriefingLinkForm,
    BriefingResultForm,
    BriefingSurveyForm,
    ConfirmForm,
    CriticismDecisionForm,
    CriticismItemFormSet,
    DecisionForm,
    EvaluationForm,
    HoldForm,
    MeetingCriticismForm,
    PlanForm,
    ReholdForm,
    ReportForm,
    ReportReadForm,
    StatementForm,
    TalkForm,
    TalkPointsForm,
    WithdrawForm,
)
from materials.meeting_models import Meeting, MeetingCriticism, PartyMemberAppraisal
from materials.models import ReviewStep
from materials.selectors import open_step_for, review_steps, review_trail
from materials.views import unit_campaign
from stages.choices import SurveyStatus
from units.access import require, scope_for
from units.choices import Role
from units.models import Organization, Person, Unit
from units.selectors import unit_get_visible

PAGE_SIZE = 50


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    """A service's refusal as messages on the page; a PermissionDenied is left to answer 403."""
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else str(error))


# --- 谈心谈话 ---------------------------------------------------------------------------


def _counterparts(coverage: ts.Coverage, person_id: int | None) -> list[tuple[str, str]]:
    """Whom the recorder may have talked with: his required talks, the missing ones first.
    Values: ``p:<person>`` for a pair, ``g:<group>:<person>`` for a talk with the 督导组."""
    if person_id is None:
        return []
    choices: list[tuple[int, str, str]] = []
    seats = coverage.group_seats
    in_group = [s for s in seats if s.person_id == person_id]
    for requirement in coverage.required:
        order = {"missing": 0, "recorded": 1, "confirmed": 2}[requirement.state]
        state = {"missing": _("未谈"), "recorded": _("待确认"), "confirmed": _("已谈")}[requirement.state]
        if requirement.other is None:
            if requirement.member.pk == person_id:
                for seat in seats:
                    choices.append(
                        (
                            order,
                            f"g:{seat.organization_id}:{seat.person_id}",
                            _("%(name)s（%(group)s）— %(state)s")
                            % {"name": seat.person.name, "group": seat.organization.name, "state": state},
                        )
                    )
            for seat in in_group:
                choices.append(
                    (
                        order,
                        f"g:{seat.organization_id}:{requirement.member.pk}",
                        _("%(name)s（督导组与班子成员）— %(state)s")
                        % {"name": requirement.member.name, "state": state},
                    )
                )
            continue
        ids = {requirement.member.pk, requirement.other.pk}
        if person_id in ids:
            other = requirement.other if requirement.member.pk == person_id else requirement.member
            choices.append((order, f"p:{other.pk}", f"{other.name}（{requirement.kind_label}）— {state}"))
    choices.sort(key=lambda c: c[0])
    return [(value, label) for _order, value, label in choices]


def _parse_counterpart(value: str) -> tuple[Person, Organization | None]:
    parts = value.split(":")
    try:
        if parts[0] == "p" and len(parts) == 2:
            return get_object_or_404(Person, pk=int(parts[1])), None
        if parts[0] == "g" and len(parts) == 3:
            return get_object_or_404(Person, pk=int(parts[2])), get_object_or_404(
                Organization, pk=int(parts[1])
            )
    except ValueError as exc:
        raise Http404 from exc
    raise Http404


def _points(data: dict[str, Any]) -> talk_services.TalkPoints:
    return talk_services.TalkPoints(
        data["own_problems"], data["other_problems"], data["body_problems"], data["meeting_points"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def talks_unit(request: HttpRequest, code: str) -> HttpResponse:
    """谈心谈话 of a 班子: the coverage matrix, what is missing, the records, and a form to record one."""
    unit = unit_get_visible(request.user, code)
    if not ts.requires_talks(unit):
        messages.info(request, _("该单位不召开专题民主生活会，无需开展“四必谈”。"))
        return redirect(unit)
    coverage = ts.talk_coverage([unit])[unit.pk]
    scope = scope_for(request.user)
    counterparts = _counterparts(coverage, scope.person_id)
    form = TalkForm(request.POST or None, counterparts=counterparts)
    if request.method == "POST" and form.is_valid():
        person, group = _parse_counterpart(form.cleaned_data["counterpart"])
        try:
            talk = talk_services.talk_record(
                actor=request.user,
                campaign=unit_campaign(unit),
                unit=unit,
                counterpart=person,
                group=group,
                held_on=form.cleaned_data["held_on"],
                points=_points(form.cleaned_data),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("谈话已登记，请对方确认。"))
            return redirect(talk)
    return render(
        request,
        "materials/talks_unit.html",
        {
            "unit": unit,
            "coverage": coverage,
            "matrix": coverage.matrix(),
            "talks": sorted(coverage.talks, key=lambda t: (t.held_on, t.pk), reverse=True),
            "form": form if counterparts else None,
            "person_id": scope.person_id,
        },
    )


@login_required
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    talk = ts.talk_get_visible(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "materials/talk_detail.html",
        {
            "talk": talk,
            "may_confirm": ts.may_confirm(request.user, talk),
            "may_edit": talk.status == "recorded" and scope.person_id == talk.recorded_by_id,
            "events": ms.stage_events(EventSubject.TALK, talk.pk),
            "reaches_unit": scope.reaches(talk.unit_path),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def talk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    talk = ts.talk_get_visible(request.user, pk)
    require(scope_for(request.user).person_id == talk.recorded_by_id, _("只有登记人可以修改谈话记录。"))
    initial = {
        "version": talk.version,
        "held_on": talk.held_on,
        "own_problems": talk.own_problems,
        "other_problems": talk.other_problems,
        "body_problems": talk.body_problems,
        "meeting_points": talk.meeting_points,
    }
    form = TalkPointsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            talk = talk_services.talk_update(
                actor=request.user,
                talk=talk,
                version=form.cleaned_data["version"],
                held_on=form.cleaned_data["held_on"],
                points=_points(form.cleaned_data),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("谈话记录已修改。"))
            return redirect(talk)
    return render(request, "materials/talk_edit.html", {"talk": talk, "form": form})


@login_required
@require_POST
def talk_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    talk = ts.talk_get_visible(request.user, pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        talk_services.talk_confirm(actor=request.user, talk=talk, version=form.cleaned_data.get("version"))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已确认谈话记录。"))
    return redirect(talk)


@login_required
def talk_history(request: HttpRequest, pk: int) -> HttpResponse:
    talk = ts.talk_get_visible(request.user, pk)
    return render_history(request, talk, back_url=talk.get_absolute_url())


@login_required
def talks_mine(request: HttpRequest) -> HttpResponse:
    """我的谈心谈话: talks waiting for my confirmation, my talks, and the 班子 I sit in or supervise."""
    scope = scope_for(request.user)
    own_units = [g.unit_id for g in scope.grants if g.role in (Role.PRINCIPAL, Role.MEMBER)]
    supervised = [g.unit_id for g in scope.grants if g.role == Role.SUPERVISOR]
    units = list(Unit.objects.filter(pk__in=own_units + supervised).order_by("path"))
    return render(
        request,
        "materials/talks_mine.html",
        {
            "awaiting": ts.talks_awaiting(request.user)[:100],
            "mine": ts.my_talks(request.user)[:100],
            "units": [u for u in units if ts.meeting_kind_for(u)],
        },
    )


# --- 拟批评意见 ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def criticisms_unit(request: HttpRequest, code: str) -> HttpResponse:
    """拟批评意见 of a 班子: each member's list and where it stands; a member opens his own."""
    unit = unit_get_visible(request.user, code)
    if not ts.requires_talks(unit):
        raise Http404
    if request.method == "POST":
        try:
            found = talk_services.criticism_list_start(
                actor=request.user, campaign=unit_campaign(unit), unit=unit
            )
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("materials:criticisms", unit.code)
        return redirect("materials:criticism_edit", found.pk)
    scope = scope_for(request.user)
    reads_all = scope.reaches(unit.path, roles=ts.READ_ROLES)
    rows = ts.criticism_lists_of_unit(unit)
    return render(
        request,
        "materials/criticisms_unit.html",
        {
            "unit": unit,
            "rows": [
                {
                    "row": row,
                    "can_open": row.criticism_list is not None
                    and (reads_all or row.member.pk == scope.person_id),
                    "mine": row.member.pk == scope.person_id,
                }
                for row in rows
            ],
        },
    )


@login_required
def criticism_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = ts.criticism_list_get_visible(request.user, pk)
    items = ts.list_items(found)
    step = open_step_for(request.user, found.review)
    decision = (
        CriticismDecisionForm(
            items=items, initial={"review_version": found.review.version, "opinion": _("同意。")}
        )
        if step and found.review
        else None
    )
    return render(
        request,
        "materials/criticism_list.html",
        {
            "found": found,
            "items": items,
            "mine": scope_for(request.user).person_id == found.person_id,
            "steps": review_steps(found.review),
            "trail": review_trail(found.review),
            "decision_step": step,
            "decision_form": decision,
            "can_manage": scope_for(request.user).can_manage(found.unit_path),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criticism_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = ts.criticism_list_get_visible(request.user, pk)
    require(scope_for(request.user).person_id == found.person_id, _("拟批评意见须由本人列出。"))
    if not found.editable:
        messages.info(request, _("拟批评意见在审核中或已审核通过，不能修改。"))
        return redirect(found)
    colleagues = [r.member for r in ts.criticism_lists_of_unit(found.unit) if r.member.pk != found.person_id]
    targets = [(str(p.pk), p.name) for p in colleagues]
    items = ts.list_items(found)
    initial = [{"pk": i.pk, "target": str(i.target_id or ""), "content": i.content} for i in items]
    formset = CriticismItemFormSet(
        request.POST or None, initial=initial, prefix="items", form_kwargs={"targets": targets}
    )
    if request.method == "POST" and formset.is_valid():
        people = {p.pk: p for p in colleagues}
        rows = []
        for data in formset.cleaned_data:
            if not data:
                continue
            target = people.get(int(data["target"])) if data.get("target") else None
            rows.append(
                talk_services.ItemInput(
                    data.get("pk"), target, data.get("content", ""), bool(data.get("DELETE"))
                )
            )
        try:
            found = talk_services.criticism_list_save(
                actor=request.user,
                criticism_list=found,
                items=rows,
                version=int(request.POST.get("version") or 0) or None,
            )
            if "submit" in request.POST:
                found = talk_services.criticism_list_submit(
                    actor=request.user, criticism_list=found, version=found.version
                )
                messages.success(request, _("拟批评意见已报督导组把关。"))
            else:
                messages.success(request, _("已保存。"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect(found)
    return render(
        request,
        "materials/criticism_edit.html",
        {"found": found, "formset": formset, "weak": [i for i in items if i.weak_reason]},
    )


@login_required
@require_POST
def criticism_list_act(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    found = ts.criticism_list_get_visible(request.user, pk)
    step = get_object_or_404(ReviewStep, pk=step_id, review_id=found.review_id)
    if step.is_open:
        engine.require_reviewer(request.user, step)
    form = CriticismDecisionForm(request.POST, items=ts.list_items(found))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(found)
    weak = [talk_services.WeakItem(item_id, reason) for item_id, reason in form.weak() if reason]
    try:
        talk_services.criticism_list_decide(
            actor=request.user,
            criticism_list=found,
            step=step,
            action=form.cleaned_data["action"],
            opinion=form.cleaned_data["opinion"],
            weak=weak,
            review_version=form.cleaned_data["review_version"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(found)
    messages.success(request, _("已办理：%(step)s。") % {"step": step.name})
    return redirect("materials:inbox")


@login_required
def criticism_list_history(request: HttpRequest, pk: int) -> HttpResponse:
    found = ts.criticism_list_get_visible(request.user, pk)
    return render_history(request, found, back_url=found.get_absolute_url())


# --- the meeting ----------------------------------------------------------------------------


@login_required
def meeting_unit(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's current meeting, or the page to open it."""
    unit = unit_get_visible(request.user, code)
    kind = ts.meeting_kind_for(unit)
    if kind is None:
        raise Http404
    current = ms.current_meetings([unit]).get(unit.pk)
    if current is not None:
        return redirect(current)
    return render(
        request,
        "materials/meeting_start.html",
        {"unit": unit, "kind": MeetingKind(kind), "can_start": ts.is_body_member(request.user, unit)},
    )


@login_required
@require_POST
def meeting_start(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    try:
        meeting = meeting_services.meeting_start(actor=request.user, campaign=unit_campaign(unit), unit=unit)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("materials:meeting_unit", unit.code)
    return redirect(meeting)


def _plan_initial(meeting: Meeting) -> dict[str, Any]:
    return {
        "version": meeting.version,
        "planned_start": meeting.planned_start,
        "planned_start_half": meeting.planned_start_half,
        "planned_end": meeting.planned_end,
        "planned_end_half": meeting.planned_end_half,
        "location": meeting.location,
        "procedure": meeting.procedure,
    }


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    unit = meeting.unit
    user = request.user
    writer = ts.is_body_member(user, unit)
    supervising = ts.is_supervising(user, unit)
    step = open_step_for(user, meeting.review)
    checks = (
        ms.meeting_preconditions(meeting)
        if not meeting.is_held and meeting.status != "rehold_ordered"
        else []
    )
    briefings = ms.briefings_of(meeting)
    filing_office = ms.is_filing_office(user, unit)
    enters_results = writer or filing_office
    runs_surveys = scope_for(user).can_manage(meeting.unit_path)
    candidates = (
        ms.briefing_survey_candidates(user, unit)
        if runs_surveys and any(b.status == BriefingStatus.HELD for b in briefings)
        else []
    )
    for briefing in briefings:
        result = briefing.survey_result  # type: ignore[attr-defined]
        open_for_survey = briefing.status == BriefingStatus.HELD and (
            briefing.survey is None
            or (briefing.survey.status == SurveyStatus.CLOSED and (result is None or not result.answered))
        )
        briefing.result_form = (  # type: ignore[attr-defined]
            BriefingResultForm(initial={"version": briefing.version})
            if briefing.status == BriefingStatus.HELD and enters_results and briefing.survey_id is None
            else None
        )
        briefing.survey_form = (  # type: ignore[attr-defined]
            BriefingSurveyForm(initial={"version": briefing.version})
            if runs_surveys and open_for_survey
            else None
        )
        briefing.link_form = (  # type: ignore[attr-defined]
            BriefingLinkForm(initial={"version": briefing.version}, surveys=candidates)
            if runs_surveys and open_for_survey and candidates
            else None
        )
    report = getattr(meeting, "report", None)
    return render(
        request,
        "materials/meeting_detail.html",
        {
            "meeting": meeting,
            "unit": unit,
            "writer": writer,
            "supervising": supervising,
            "filing_office": filing_office,
            "plan_form": PlanForm(initial=_plan_initial(meeting))
            if writer and meeting.plan_editable
            else None,
            "steps": review_steps(meeting.review),
            "trail": review_trail(meeting.review),
            "decision_step": step,
            "decision_form": DecisionForm(
                initial={"review_version": meeting.review.version, "opinion": _("同意。")}
            )
            if step and meeting.review
            else None,
            "checks": checks,
            "ready": all(c.ok for c in checks),
            "hold_form": HoldForm(
                initial={
                    "version": meeting.version,
                    "held_start": meeting.planned_start,
                    "held_start_half": meeting.planned_start_half,
                    "held_end": meeting.planned_end,
                    "held_end_half": meeting.planned_end_half,
                }
            )
            if writer and meeting.status in ("planning", "plan_approved", "plan_returned", "plan_in_review")
            else None,
            "minimum": ms.days_label(ms.minimum_half_days(unit, meeting.kind)),
            "evaluation_form": EvaluationForm(initial={"version": meeting.version})
            if supervising
            and meeting.status == MeetingStatus.HELD
            and meeting.kind == MeetingKind.DEMOCRATIC_LIFE
            else None,
            "rehold_form": ReholdForm(initial={"version": meeting.version})
            if supervising and meeting.status in HELD_STATUSES and meeting.kind == MeetingKind.DEMOCRATIC_LIFE
            else None,
            "briefings": briefings,
            "briefing_form": BriefingForm()
            if writer
            and meeting.status in HELD_STATUSES
            and meeting.kind == MeetingKind.DEMOCRATIC_LIFE
            and not any(b.status in (BriefingStatus.HELD, BriefingStatus.PASSED) for b in briefings)
            else None,
            "report": report,
            "history": ms.meetings_of_unit(unit),
            "events": ms.meeting_events(meeting),
            "can_manage": scope_for(user).can_manage(meeting.unit_path),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_plan(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    require(ts.is_body_member(request.user, meeting.unit), _("只有本单位班子成员可以制定会议方案。"))
    form = PlanForm(request.POST or None, initial=_plan_initial(meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_services.meeting_plan_save(
                actor=request.user,
                meeting=meeting,
                version=data["version"],
                planned_start=data["planned_start"],
                planned_start_half=data["planned_start_half"],
                planned_end=data["planned_end"],
                planned_end_half=data["planned_end_half"],
                location=data["location"],
                procedure=data["procedure"],
            )
            if "submit" in request.POST:
                meeting_services.meeting_plan_submit(
                    actor=request.user, meeting=meeting, version=meeting.version
                )
                messages.success(request, _("会议方案已报督导组审核。"))
            else:
                messages.success(request, _("会议方案已保存。"))
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            return redirect(meeting)
    return render(request, "materials/meeting_plan.html", {"meeting": meeting, "form": form})


@login_required
@require_POST
def meeting_plan_act(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    step = get_object_or_404(ReviewStep, pk=step_id, review_id=meeting.review_id)
    if step.is_open:
        engine.require_reviewer(request.user, step)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(meeting)
    try:
        meeting_services.meeting_plan_decide(
            actor=request.user,
            meeting=meeting,
            step=step,
            action=form.cleaned_data["action"],
            opinion=form.cleaned_data["opinion"],
            review_version=form.cleaned_data["review_version"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(meeting)
    messages.success(request, _("已办理：%(step)s。") % {"step": step.name})
    return redirect("materials:inbox")


@login_required
@require_POST
def meeting_hold(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    require(ts.is_body_member(request.user, meeting.unit), _("只有本单位班子成员可以登记召开。"))
    form = HoldForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(meeting)
    data = form.cleaned_data
    try:
        meeting_services.meeting_hold(
            actor=request.user,
            meeting=meeting,
            version=data["version"],
            held_start=data["held_start"],
            held_start_half=data["held_start_half"],
            held_end=data["held_end"],
            held_end_half=data["held_end_half"],
        )
    except ValidationError as exc:
        messages.error(request, _("不能登记召开："))
        _errors(request, exc)
        return redirect(meeting)
    messages.success(request, _("已登记召开，请填写会议记录。"))
    return redirect("materials:meeting_record", meeting.pk)


def _people_choices(attendees: list[Any]) -> list[tuple[str, str]]:
    return [(str(a.person_id), f"{a.person.name}（{a.get_capacity_display()}）") for a in attendees]


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record: attendees, the five agenda items, each member's self-criticism and the
    criticisms he received; at a 组织生活会, 民主评议党员."""
    meeting = ms.meeting_get_visible(request.user, pk)
    if meeting.held_start is None:
        messages.info(request, _("会议尚未登记召开。"))
        return redirect(meeting)
    writer = ts.is_body_member(request.user, meeting.unit) and meeting.status == MeetingStatus.HELD
    if request.method == "POST":
        require(writer, _("会议记录由本单位班子成员在督导组评价前填写。"))
        _record_post(request, meeting)
        return redirect("materials:meeting_record", meeting.pk)
    attendees = list(meeting.attendees.select_related("person").order_by("capacity", "pk"))
    statements = list(meeting.statements.select_related("person").order_by("pk"))
    criticisms = list(
        MeetingCriticism.objects.filter(meeting=meeting)
        .select_related("target", "critic")
        .order_by("target", "pk")
    )
    received: dict[int, list[MeetingCriticism]] = {}
    for criticism in criticisms:
        received.setdefault(criticism.target_id, []).append(criticism)
    appraisals = {a.person_id: a for a in PartyMemberAppraisal.objects.filter(meeting=meeting)}
    targets = [(str(s.person_id), s.person.name) for s in statements]
    organizational = meeting.kind == MeetingKind.ORGANIZATIONAL_LIFE
    return render(
        request,
        "materials/meeting_record.html",
        {
            "meeting": meeting,
            "writer": writer,
            "attendees": [(a, appraisals.get(a.person_id)) for a in attendees],
            "statements": [
                (
                    s,
                    received.get(s.person_id, []),
                    StatementForm(initial={"person": s.person_id, "self_criticism": s.self_criticism}),
                )
                for s in statements
            ],
            "other_criticisms": [
                c for c in criticisms if c.target_id not in {s.person_id for s in statements}
            ],
            "agenda_form": AgendaForm(
                initial={
                    "version": meeting.version,
                    **{f: getattr(meeting, f) for f in meeting_services.AGENDA_FIELDS},
                }
            ),
            "attendee_form": AttendeeForm(
                initial={
                    "capacity": AttendeeCapacity.PARTY_MEMBER
                    if organizational
                    else AttendeeCapacity.UPPER_LEADER,
                    "present": True,
                }
            ),
            "criticism_form": MeetingCriticismForm(
                people=_people_choices(attendees),
                targets=targets if not organizational else _people_choices(attendees),
            ),
            "appraisal_form": AppraisalForm(
                attendees=[
                    a
                    for a in attendees
                    if a.capacity in (AttendeeCapacity.MEMBER, AttendeeCapacity.PARTY_MEMBER)
                    or a.as_ordinary_member
                ],
                initial_values={pid: a.appraisal for pid, a in appraisals.items()},
            )
            if organizational
            else None,
            "organizational": organizational,
        },
    )


def _record_post(request: HttpRequest, meeting: Meeting) -> None:
    which = request.POST.get("form", "")
    user = request.user
    try:
        if which == "agenda":
            form: Any = AgendaForm(request.POST)
            if form.is_valid():
                meeting_services.meeting_record_save(
                    actor=user,
                    meeting=meeting,
                    version=form.cleaned_data["version"],
                    agenda=form.cleaned_data,
                )
                messages.success(request, _("会议议程记录已保存。"))
        elif which == "attendee":
            form = AttendeeForm(request.POST)
            if form.is_valid():
                person = Person.objects.filter(code=form.cleaned_data["person_code"].strip()).first()
                if person is None:
                    raise ValidationError(
                        _("没有编码为“%(code)s”的人员。") % {"code": form.cleaned_data["person_code"]}
                    )
                meeting_services.meeting_attendee_set(
                    actor=user,
                    meeting=meeting,
                    person=person,
                    capacity=form.cleaned_data["capacity"],
                    present=form.cleaned_data["present"],
                    as_ordinary_member=form.cleaned_data["as_ordinary_member"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("参会人员已登记。"))
        elif which == "statement":
            form = StatementForm(request.POST)
            if form.is_valid():
                person = get_object_or_404(Person, pk=form.cleaned_data["person"])
                meeting_services.meeting_statement_save(
                    actor=user,
                    meeting=meeting,
                    person=person,
                    self_criticism=form.cleaned_data["self_criticism"],
                )
                messages.success(request, _("已保存%(name)s的发言。") % {"name": person.name})
        elif which == "criticism":
            attendees = list(meeting.attendees.select_related("person"))
            choices = _people_choices(attendees)
            form = MeetingCriticismForm(request.POST, people=choices, targets=choices)
            if form.is_valid():
                people = {a.person_id: a.person for a in attendees}
                meeting_services.meeting_criticism_add(
                    actor=user,
                    meeting=meeting,
                    target=people[int(form.cleaned_data["target"])],
                    critic=people[int(form.cleaned_data["critic"])],
                    content=form.cleaned_data["content"],
                )
                messages.success(request, _("批评意见已登记。"))
        elif which == "withdraw":
            form = WithdrawForm(request.POST)
            if form.is_valid():
                criticism = get_object_or_404(
                    MeetingCriticism, pk=form.cleaned_data["criticism"], meeting=meeting
                )
                meeting_services.meeting_criticism_withdraw(
                    actor=user, criticism=criticism, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已撤回这条批评意见。"))
        elif which == "appraisals":
            attendees = list(meeting.attendees.select_related("person"))
            form = AppraisalForm(request.POST, attendees=attendees)
            if form.is_valid():
                meeting_services.meeting_appraisals_save(
                    actor=user, meeting=meeting, appraisals=form.values()
                )
                messages.success(request, _("民主评议党员结果已保存。"))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
        return
    if not form.is_valid():
        _form_errors(request, form)


@login_required
@require_POST
def meeting_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(meeting)
    try:
        meeting_services.meeting_evaluate(
            actor=request.user,
            meeting=meeting,
            version=form.cleaned_data["version"],
            rating=form.cleaned_data["rating"],
            evaluation=form.cleaned_data["evaluation"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("评价已反馈党委（党组）书记。"))
    return redirect(meeting)


@login_required
@require_POST
def meeting_rehold(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    form = ReholdForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(meeting)
    try:
        again = meeting_services.meeting_order_rehold(
            actor=request.user,
            meeting=meeting,
            version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(meeting)
    messages.success(request, _("已责令重开：原会议保留在记录中，请重新制定会议方案。"))
    return redirect(again)


@login_required
@require_POST
def briefing_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    form = BriefingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(meeting)
    try:
        meeting_services.briefing_record(
            actor=request.user,
            meeting=meeting,
            held_on=form.cleaned_data["held_on"],
            content=form.cleaned_data["content"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("情况通报会已登记，请录入群众评议结果。"))
    return redirect(meeting)


@login_required
@require_POST
def briefing_survey(request: HttpRequest, pk: int) -> HttpResponse:
    """The office creates the 通报会's 群众评议 survey, or links one of the 班子's surveys."""
    briefing = ms.briefings_visible_to(request.user).filter(pk=pk).select_related("unit").first()
    if briefing is None:
        raise Http404
    linking = "survey" in request.POST
    form: Any = (
        BriefingLinkForm(request.POST, surveys=ms.briefing_survey_candidates(request.user, briefing.unit))
        if linking
        else BriefingSurveyForm(request.POST)
    )
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("materials:meeting", briefing.meeting_id)
    try:
        if linking:
            survey = next(
                s
                for s in ms.briefing_survey_candidates(request.user, briefing.unit)
                if s.pk == form.cleaned_data["survey"]
            )
            meeting_services.briefing_survey_link(
                actor=request.user, briefing=briefing, version=form.cleaned_data["version"], survey=survey
            )
            messages.success(request, _("已关联群众评议测评。"))
            return redirect("materials:meeting", briefing.meeting_id)
        survey = meeting_services.briefing_survey_create(
            actor=request.user,
            briefing=briefing,
            version=form.cleaned_data["version"],
            mode=form.cleaned_data["mode"],
            opens_at=form.cleaned_data["opens_at"],
            closes_at=form.cleaned_data["closes_at"],
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("materials:meeting", briefing.meeting_id)
    messages.success(request, _("已建立群众评议测评，请核对测评项目后发布；测评结束时结果自动汇总到通报会。"))
    return redirect(survey)


@login_required
@require_POST
def briefing_result(request: HttpRequest, pk: int) -> HttpResponse:
    briefing = ms.briefings_visible_to(request.user).filter(pk=pk).first()
    if briefing is None:
        raise Http404
    form = BriefingResultForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("materials:meeting", briefing.meeting_id)
    try:
        briefing = meeting_services.briefing_record_result(
            actor=request.user,
            briefing=briefing,
            version=form.cleaned_data["version"],
            respondents=form.cleaned_data["respondents"],
            satisfied=form.cleaned_data["satisfied"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        if briefing.status == BriefingStatus.REWORK:
            messages.warning(request, _("群众满意率低于三分之二，须返工补课。"))
        else:
            messages.success(request, _("群众评议结果已录入。"))
    return redirect("materials:meeting", briefing.meeting_id)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_report(request: HttpRequest, pk: int) -> HttpResponse:
    """专题报告: the unit writes and sends it, the 督导组 reads it, the 活动办 files it."""
    meeting = ms.meeting_get_visible(request.user, pk)
    report = getattr(meeting, "report", None)
    if report is None:
        raise Http404
    user = request.user
    writer = ts.is_body_member(user, meeting.unit)
    supervising = ts.is_supervising(user, meeting.unit)
    office = ms.is_filing_office(user, meeting.unit)
    form = ReportForm(request.POST or None, initial={"version": report.version, "content": report.content})
    read_form = ReportReadForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("save", "submit"):
                if form.is_valid():
                    report = meeting_services.report_save(
                        actor=user,
                        report=report,
                        version=form.cleaned_data["version"],
                        content=form.cleaned_data["content"],
                    )
                    if action == "submit":
                        report = meeting_services.report_submit(
                            actor=user, report=report, version=report.version
                        )
                        messages.success(request, _("专题报告已报送督导组审阅。"))
                    else:
                        messages.success(request, _("已保存。"))
                    return redirect("materials:report", meeting.pk)
            elif action == "read":
                if read_form.is_valid():
                    meeting_services.report_read(
                        actor=user,
                        report=report,
                        version=read_form.cleaned_data["version"],
                        opinion=read_form.cleaned_data["opinion"],
                    )
                    messages.success(request, _("已审阅，报活动办备案。"))
                    return redirect("materials:report", meeting.pk)
            elif action == "file":
                meeting_services.report_file(
                    actor=user, report=report, version=int(request.POST.get("version") or 0) or None
                )
                messages.success(request, _("已备案，并按程序报送纪委、组织部。"))
                return redirect("materials:report", meeting.pk)
            else:
                raise Http404
        except ValidationError as exc:
            add_service_error(form, exc)
    return render(
        request,
        "materials/meeting_report.html",
        {
            "meeting": meeting,
            "report": report,
            "form": form if writer and report.status == ReportStatus.DRAFT else None,
            "errors": form.non_field_errors() if request.method == "POST" else [],
            "read_form": read_form if supervising and report.status == ReportStatus.SUBMITTED else None,
            "can_file": office and report.status == ReportStatus.READ,
            "events": ms.stage_events(EventSubject.REPORT, report.pk),
        },
    )


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    return render_history(request, meeting, back_url=meeting.get_absolute_url())


@login_required
def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = ms.meeting_get_visible(request.user, pk)
    report = getattr(meeting, "report", None)
    if report is None:
        raise Http404
    return render_history(request, report, back_url=report.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def step_reassign(request: HttpRequest, step_id: int) -> HttpResponse:
    """The office names the reviewer of a plan's or a 拟批评意见's open step."""
    step = get_object_or_404(
        ReviewStep.objects.select_related("review"),
        pk=step_id,
        review__subject_kind__in=[SubjectKind.MEETING_PLAN, SubjectKind.CRITICISM_LIST],
    )
    review = step.review
    if review.subject_kind == SubjectKind.MEETING_PLAN:
        subject: Any = ms.meeting_get_visible(request.user, review.subject_id)
    else:
        subject = ts.criticism_list_get_visible(request.user, review.subject_id)
    require(scope_for(request.user).can_manage(review.unit_path), _("只有活动办可以调整审核人。"))
    form = ReassignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engine.review_step_reassign(
                actor=request.user,
                step=step,
                people=form.cleaned_data["person_codes"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已调整审核人。"))
            return redirect(subject)
    return render(
        request, "materials/meeting_step_reassign.html", {"subject": subject, "step": step, "form": form}
    )


# --- overviews ----------------------------------------------------------------------------------


@login_required
def meetings_under(request: HttpRequest, code: str) -> HttpResponse:
    """Stage two of every unit under one: talk coverage, plan and meeting, 通报会, 专题报告."""
    root = unit_get_visible(request.user, code)
    page = Paginator(ms.meeting_units_under(request.user, root), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = ms.unit_rows(list(page.object_list))
    counts = dict(
        ms.meetings_visible_to(request.user)
        .filter(unit_path__startswith=root.path)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    late = ms.reports_under(request.user, root, late_only=True).count()
    return render(
        request,
        "materials/meetings_under.html",
        {
            "root": root,
            "page_obj": page,
            "rows": rows,
            "status_counts": [(value, label, counts.get(value, 0)) for value, label in MeetingStatus.choices],
            "late": late,
        },
    )


@login_required
def reports_under(request: HttpRequest, code: str) -> HttpResponse:
    """专题报告 under a unit, by due date, late ones flagged."""
    root = unit_get_visible(request.user, code)
    late_only = request.GET.get("late") == "1"
    status = request.GET.get("status", "")
    status = status if status in ReportStatus.values else ""
    page = Paginator(
        ms.reports_under(request.user, root, late_only=late_only, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "materials/reports_under.html",
        {
            "root": root,
            "page_obj": page,
            "reports": page.object_list,
            "late_only": late_only,
            "status": status,
            "statuses": ReportStatus.choices,
        },
    )
