"""Pages of stage 1: study records, opinions (entry, import, sorting, claiming, answers), surveys,
返工补课, and the public pages (submit an opinion, look up a receipt, answer a survey).

Views are thin: selector (scope) → form → service → redirect. Write pages check
the right up front so that a user who may see but not act gets 403 rather than
a form he cannot send.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from campaign import clock
from campaign.forms import add_service_error
from campaign.selectors import job_get_own
from campaign.views import render_history
from stages import exports, ratelimit, rules, selectors, services
from stages.choices import (
    GroupStatus,
    JobKinds,
    OpinionCategory,
    OpinionChannel,
    OpinionStatus,
    SurveyMode,
    SurveyPurpose,
    SurveyStatus,
)
from stages.forms import (
    AnswerForm,
    ClaimForm,
    OpinionEditForm,
    OpinionForm,
    OpinionImportForm,
    PublicOpinionForm,
    PublishForm,
    ReceiptForm,
    RemediationForm,
    StudySessionForm,
    SurveyForm,
    TokenForm,
    default_window,
)
from stages.imports import OPINION_COLUMNS
from stages.models import Opinion, OpinionGroup, Survey
from units.access import require, scope_for
from units.models import Unit
from units.selectors import unit_children, unit_get_visible, unit_roots_for

PAGE_SIZE = 50
BROWSER_COOKIE = "stages_bid"


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _say(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if str(v).isdigit()][:5000]


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """学习教育、听取意见: the user's top units, with their stage-1 pages."""
    return render(request, "stages/home.html", {"roots": unit_roots_for(request.user)})


# --- study sessions -------------------------------------------------------------------------


@login_required
def study_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    page = Paginator(selectors.study_sessions_under(request.user, unit), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "stages/study_list.html",
        {
            "unit": unit,
            "page_obj": page,
            "sessions": page.object_list,
            "can_add": rules.can_record_study(request.user, unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(rules.can_record_study(request.user, unit), _("只有本单位班子成员或活动办可以登记学习记录。"))
    form = StudySessionForm(
        request.POST or None, people=selectors.people_of_unit(unit), initial={"held_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.study_session_create(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                held_on=data["held_on"],
                hours=data["hours"],
                topic=data["topic"],
                material=data["material"],
                participants=data["participants"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("学习记录已登记。"))
            return redirect(session)
    return render(request, "stages/form.html", {"form": form, "unit": unit, "title": _("登记学习记录")})


@login_required
def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.study_session_get_visible(request.user, pk)
    return render(
        request,
        "stages/study_detail.html",
        {
            "session": session,
            "unit": session.unit,
            "can_edit": rules.can_record_study(request.user, session.unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.study_session_get_visible(request.user, pk)
    require(
        rules.can_record_study(request.user, session.unit), _("只有本单位班子成员或活动办可以修改学习记录。")
    )
    initial = {
        "kind": session.kind,
        "held_on": session.held_on,
        "hours": session.hours,
        "topic": session.topic,
        "material": session.material,
        "participants": list(session.participants.all()),
        "version": session.version,
    }
    form = StudySessionForm(
        request.POST or None, people=selectors.people_of_unit(session.unit), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.study_session_update(actor=request.user, session=session, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("学习记录已保存。"))
            return redirect(session)
    return render(
        request, "stages/form.html", {"form": form, "unit": session.unit, "title": _("修改学习记录")}
    )


@login_required
def study_history(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.study_session_get_visible(request.user, pk)
    return render_history(request, session, back_url=session.get_absolute_url())


# --- opinions ---------------------------------------------------------------------------------


def _opinion_filter(request: HttpRequest) -> selectors.OpinionFilter:
    get = request.GET
    return selectors.OpinionFilter(
        channel=get.get("channel", "") if get.get("channel") in OpinionChannel.values else "",
        category=get.get("category", "") if get.get("category") in OpinionCategory.values else "",
        status=get.get("status", "") if get.get("status") in OpinionStatus.values else "",
        query=get.get("q", "").strip()[:50],
    )


@login_required
def opinion_list(request: HttpRequest, code: str) -> HttpResponse:
    """Opinions of a subtree with filters; fixed query count whatever the page holds."""
    unit = unit_get_visible(request.user, code)
    filters = _opinion_filter(request)
    page = Paginator(selectors.opinion_list(request.user, unit, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    scope = scope_for(request.user)
    for opinion in page.object_list:
        opinion.status_value = selectors.opinion_status(opinion)
        opinion.status_label = OpinionStatus(opinion.status_value).label
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "stages/opinion_list.html",
        {
            "unit": unit,
            "page_obj": page,
            "opinions": page.object_list,
            "filters": filters,
            "channels": OpinionChannel.choices,
            "categories": OpinionCategory.choices,
            "statuses": OpinionStatus.choices,
            "is_office": scope.can_manage(unit.path),
            "querystring": query.urlencode(),
        },
    )


@login_required
def opinion_export(request: HttpRequest, code: str) -> HttpResponse:
    """The filtered list as .xlsx; names and contacts only for the office, never for anonymous opinions."""
    unit = unit_get_visible(request.user, code)
    header, rows = exports.opinion_rows(request.user, unit, _opinion_filter(request))
    content = exports.write_xlsx(str(_("意见建议")), header, rows)
    return _xlsx(content, f"{unit.code}-opinions-{timezone.localdate():%Y%m%d}")


@login_required
@require_http_methods(["GET", "POST"])
def opinion_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(unit.path), _("只有本单位或上级的活动办可以录入意见。"))
    form = OpinionForm(
        request.POST or None, people=selectors.people_of_unit(unit), initial={"received_on": clock.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_create(actor=request.user, unit=unit, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("意见已登记，回执码 %(code)s（可告知提出人，凭此查看答复）。")
                % {"code": opinion.receipt_display},
            )
            if "another" in request.POST:
                return redirect("stages:opinion_add", unit.code)
            return redirect(opinion)
    return render(
        request,
        "stages/opinion_form.html",
        {"form": form, "unit": unit, "title": _("录入意见")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_import(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(unit.path), _("只有本单位或上级的活动办可以导入意见。"))
    form = OpinionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = services.opinion_import_start(
            actor=request.user,
            root=unit,
            upload=form.cleaned_data["file"],
            skip_errors=form.cleaned_data["skip_errors"],
        )
        messages.info(request, _("文件已上传，正在后台导入。"))
        return redirect("stages:job", job.pk)
    return render(
        request, "stages/opinion_import.html", {"form": form, "unit": unit, "columns": OPINION_COLUMNS}
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress and report of an opinion import or a large sorting run (only for who started it)."""
    job = job_get_own(request.user, pk)
    titles: dict[str, str] = {
        JobKinds.OPINIONS_IMPORT: _("导入意见"),
        JobKinds.OPINIONS_GROUPING: _("梳理意见（梳辫子）"),
    }
    if job.kind not in titles:
        raise Http404
    return render(request, "stages/job.html", {"job": job, "title": titles[job.kind]})


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_get_visible(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "stages/opinion_detail.html",
        {
            "opinion": opinion,
            "unit": opinion.unit,
            "status_label": OpinionStatus(selectors.opinion_status(opinion)).label,
            "sees_identity": rules.sees_identity(scope, opinion.unit_path),
            "is_office": scope.can_manage(opinion.unit_path),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_get_visible(request.user, pk)
    require(
        scope_for(request.user).can_manage(opinion.unit_path),
        _("只有本单位或上级的活动办可以修改意见的登记信息。"),
    )
    initial = {
        "channel": opinion.channel,
        "category": opinion.category,
        "received_on": opinion.received_on,
        "about_person": opinion.about_person_id,
        "version": opinion.version,
    }
    form = OpinionEditForm(
        request.POST or None, people=selectors.people_of_unit(opinion.unit), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opinion_update(actor=request.user, opinion=opinion, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(opinion)
    return render(
        request, "stages/form.html", {"form": form, "unit": opinion.unit, "title": _("修改意见登记信息")}
    )


@login_required
def opinion_history(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_get_visible(request.user, pk)
    skip: tuple[str, ...] = ()
    if not rules.sees_identity(scope_for(request.user), opinion.unit_path):
        skip = ("submitter_name", "submitter_contact")
    return render_history(request, opinion, back_url=opinion.get_absolute_url(), skip=skip)


# --- sorting (梳辫子) -------------------------------------------------------------------------------


@login_required
def sorting_board(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(unit)
    board = selectors.sorting_board(request.user, unit, campaign)
    return render(
        request,
        "stages/sorting.html",
        {"unit": unit, "board": board, "is_office": scope_for(request.user).can_manage(unit.path)},
    )


def _office_unit(request: HttpRequest, code: str) -> Unit:
    unit = unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(unit.path), _("只有本单位或上级的活动办可以梳理意见。"))
    return unit


@login_required
@require_POST
def sorting_run(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    try:
        started = services.opinion_grouping_start(actor=request.user, unit=unit)
    except ValidationError as exc:
        _say(request, exc)
    else:
        if started.job is not None:
            messages.info(request, _("待梳理的意见较多，已转入后台梳理。"))
            return redirect("stages:job", started.job.pk)
        count = len(started.groups or [])
        if count:
            messages.success(request, _("已提出 %(n)d 个建议归并的意见组，请逐组确认。") % {"n": count})
        else:
            messages.info(request, _("没有发现相近的意见。"))
    return redirect("stages:sorting", unit.code)


@login_required
@require_POST
def sorting_singles(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    try:
        count = services.groups_confirm_singles(actor=request.user, unit=unit)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("%(n)d 条意见各自单独成组，等待认领。") % {"n": count})
    return redirect("stages:sorting", unit.code)


@login_required
@require_POST
def sorting_merge(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    target_id = _int(request.POST.get("target"))
    target = OpinionGroup.objects.filter(pk=target_id or 0, unit=unit).first()
    if target is None:
        messages.error(request, _("请选择要并入的目标意见组。"))
        return redirect("stages:sorting", unit.code)
    groups = list(OpinionGroup.objects.filter(pk__in=_ids(request, "groups"), unit=unit))
    opinions = list(Opinion.objects.filter(pk__in=_ids(request, "opinions"), unit=unit))
    try:
        services.group_merge(actor=request.user, target=target, groups=groups, opinions=opinions)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已并入意见组“%(title)s”。") % {"title": target.title})
    return redirect(_next(request, reverse("stages:sorting", args=[unit.code])))


@login_required
@require_POST
def sorting_create(request: HttpRequest, code: str) -> HttpResponse:
    unit = _office_unit(request, code)
    opinions = list(Opinion.objects.filter(pk__in=_ids(request, "opinions"), unit=unit))
    try:
        group = services.group_create(
            actor=request.user, unit=unit, opinions=opinions, title=request.POST.get("title", "")[:200]
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已归并为意见组“%(title)s”。") % {"title": group.title})
    return redirect("stages:sorting", unit.code)


# --- opinion groups ------------------------------------------------------------------------------


@login_required
def group_list(request: HttpRequest, code: str) -> HttpResponse:
    """Groups of a subtree by status; "待认领" lists the unclaimed ones for the office."""
    unit = unit_get_visible(request.user, code)
    status = request.GET.get("status", GroupStatus.CONFIRMED)
    if status not in GroupStatus.values:
        status = ""
    page = Paginator(selectors.group_list(request.user, unit, status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "stages/group_list.html",
        {
            "unit": unit,
            "page_obj": page,
            "groups": page.object_list,
            "status": status,
            "statuses": [
                (s.value, s.label)
                for s in GroupStatus
                if s not in (GroupStatus.DISSOLVED, GroupStatus.MERGED)
            ],
            "querystring": f"status={status}",
        },
    )


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_visible(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "stages/group_detail.html",
        {
            "group": group,
            "unit": group.unit,
            "opinions": group.opinions.all(),
            "events": selectors.group_events(group),
            "is_office": scope.can_manage(group.unit_path),
            "sees_identity": rules.sees_identity(scope, group.unit_path),
            "can_answer": services.can_answer(request.user, group),
            "can_claim": group.status == GroupStatus.CONFIRMED
            or (group.status == GroupStatus.CLAIMED and scope.can_manage(group.unit_path)),
            "publish_form": PublishForm(initial={"title": group.title, "version": group.version}),
        },
    )


def _office_group(request: HttpRequest, pk: int) -> OpinionGroup:
    group = selectors.group_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(group.unit_path), _("只有本单位或上级的活动办可以办理。"))
    return group


@login_required
@require_POST
def group_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    group = _office_group(request, pk)
    title = request.POST.get(f"title-{pk}") or request.POST.get("title") or ""
    try:
        services.group_confirm(
            actor=request.user,
            group=group,
            version=_int(request.POST.get(f"version-{pk}")),
            title=title[:200],
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已确认归并，等待认领。"))
    return redirect(_next(request, group.get_absolute_url()))


@login_required
@require_POST
def group_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    group = _office_group(request, pk)
    try:
        services.group_dissolve(
            actor=request.user, group=group, version=_int(request.POST.get(f"version-{pk}"))
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已拆散，意见退回待梳理。"))
    return redirect(_next(request, reverse("stages:sorting", args=[group.unit.code])))


@login_required
@require_POST
def group_split(request: HttpRequest, pk: int) -> HttpResponse:
    group = _office_group(request, pk)
    chosen = list(
        Opinion.objects.filter(pk__in=_ids(request, f"split-{pk}") or _ids(request, "split"), group=group)
    )
    try:
        services.group_split(
            actor=request.user,
            group=group,
            opinions=chosen,
            to_new_group=request.POST.get("to") != "loose",
        )
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("已拆分。"))
    return redirect(_next(request, group.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def group_claim(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_visible(request.user, pk)
    require(
        scope_for(request.user).can_manage(group.unit_path)
        or rules.in_leadership_of(request.user, group.unit),
        _("只有本单位班子成员或活动办可以办理认领。"),
    )
    form = ClaimForm(
        request.POST or None,
        people=selectors.people_of_unit(group.unit).filter(
            pk__in=selectors.leaders_of_unit(group.unit).values("person_id")
        ),
        initial={
            "kind": group.claim_kind or "body",
            "person": group.claimed_person_id,
            "version": group.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_claim(
                actor=request.user,
                group=group,
                kind=data["kind"],
                person=data.get("person"),
                version=data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已认领。"))
            return redirect(group)
    return render(
        request,
        "stages/form.html",
        {
            "form": form,
            "unit": group.unit,
            "title": _("认领意见组：%(t)s") % {"t": group.title},
            "back": group,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_answer(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_visible(request.user, pk)
    require(services.can_answer(request.user, group), _("只有认领人或活动办可以拟写答复。"))
    form = AnswerForm(request.POST or None, initial={"answer": group.answer, "version": group.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.group_answer(actor=request.user, group=group, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("答复已保存，待活动办发布。"))
            return redirect(group)
    return render(
        request,
        "stages/form.html",
        {"form": form, "unit": group.unit, "title": _("拟写答复：%(t)s") % {"t": group.title}, "back": group},
    )


@login_required
@require_POST
def group_publish(request: HttpRequest, pk: int) -> HttpResponse:
    group = _office_group(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(group)
    try:
        services.group_publish(actor=request.user, group=group, **form.cleaned_data)
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("答复已发布，本组每条意见的提出人都能凭回执码看到。"))
    return redirect(group)


@login_required
def group_history(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get_visible(request.user, pk)
    return render_history(request, group, back_url=group.get_absolute_url())


# --- surveys ------------------------------------------------------------------------------------------


@login_required
def survey_list(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    page = Paginator(selectors.surveys_under(request.user, unit), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "stages/survey_list.html",
        {
            "unit": unit,
            "page_obj": page,
            "surveys": page.object_list,
            "is_office": scope_for(request.user).can_manage(unit.path),
        },
    )


def _targets(data: dict[str, Any], unit: Unit) -> list[Unit]:
    """The units typed in, then (when asked) every active unit one level down, in tree order."""
    targets = list(data["targets"])
    if data.get("with_children"):
        chosen = {t.pk for t in targets}
        targets += [c for c in unit_children(unit) if c.is_active and c.pk not in chosen]
    return targets


def _survey_kwargs(data: dict[str, Any], unit: Unit) -> dict[str, Any]:
    return {
        "title": data["title"],
        "subject": data["subject"],
        "mode": data["mode"],
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
        "targets": _targets(data, unit),
        "questions": data.get("question_specs") or [],
        "threshold": data["threshold"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_add(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    require(scope_for(request.user).can_manage(unit.path), _("只有本单位或上级的活动办可以组织测评。"))
    opens_at, closes_at = default_window()
    form = SurveyForm(
        request.POST or None,
        initial={
            "targets": unit.code,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "mode": SurveyMode.RESPONDENTS,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user, unit=unit, purpose=data["purpose"], **_survey_kwargs(data, unit)
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("测评已建立（起草中），检查无误后请发布。"))
            return redirect(survey)
    return render(request, "stages/form.html", {"form": form, "unit": unit, "title": _("组织满意度测评")})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    scope = scope_for(request.user)
    is_office = scope.can_manage(survey.unit_path)
    token_counts = survey.tokens.order_by().aggregate(
        total=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )
    return render(
        request,
        "stages/survey_detail.html",
        {
            "survey": survey,
            "unit": survey.unit,
            "is_office": is_office,
            "token_counts": token_counts,
            "public_url": request.build_absolute_uri(
                reverse("stages:public_survey", args=[survey.public_key])
            )
            if is_office and survey.mode == SurveyMode.PUBLIC
            else "",
            "events": survey.events.select_related("actor").order_by("created_at", "pk"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(survey.unit_path), _("只有组织测评的活动办可以修改。"))
    questions = list(survey.questions.all())
    first_options = list(questions[0].options.all()) if questions else []
    initial = {
        "title": survey.title,
        "purpose": survey.purpose,
        "subject": survey.subject,
        "mode": survey.mode,
        "opens_at": timezone.localtime(survey.opens_at),
        "closes_at": timezone.localtime(survey.closes_at),
        "targets": "、".join(t.unit.code for t in survey.targets.all()),
        "threshold": f"{survey.threshold_numerator}/{survey.threshold_denominator}",
        "questions": "\n".join(("* " if q.counts else "") + q.text for q in questions),
        "options": "、".join(o.label for o in first_options),
        "satisfied": "、".join(o.label for o in first_options if o.is_satisfied),
        "version": survey.version,
    }
    form = SurveyForm(request.POST or None, initial=initial)
    form.fields["purpose"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(
                actor=request.user,
                survey=survey,
                version=form.cleaned_data["version"],
                **_survey_kwargs(form.cleaned_data, survey.unit),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("测评已修改。"))
            return redirect(survey)
    return render(
        request,
        "stages/form.html",
        {"form": form, "unit": survey.unit, "title": _("修改测评"), "back": survey},
    )


@login_required
@require_POST
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(survey.unit_path), _("只有组织测评的活动办可以发布。"))
    try:
        services.survey_open(actor=request.user, survey=survey, version=_int(request.POST.get("version")))
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("测评已发布。"))
    return redirect(survey)


@login_required
@require_POST
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(survey.unit_path), _("只有组织测评的活动办可以结束测评。"))
    try:
        services.survey_close(actor=request.user, survey=survey, version=_int(request.POST.get("version")))
    except ValidationError as exc:
        _say(request, exc)
    else:
        messages.success(request, _("测评已结束，结果已计算。"))
        return redirect("stages:survey_results", survey.pk)
    return redirect(survey)


@login_required
@require_http_methods(["GET", "POST"])
def survey_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """One-time codes of a respondent-list survey (only the organising office sees them)."""
    survey = selectors.survey_get_visible(request.user, pk)
    require(scope_for(request.user).can_manage(survey.unit_path), _("只有组织测评的活动办可以管理评议码。"))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.survey_tokens_issue(
                actor=request.user, survey=survey, respondents=form.cleaned_data["labels"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已生成 %(n)d 个评议码。") % {"n": len(issued)})
            return redirect("stages:survey_tokens", survey.pk)
    page = Paginator(survey.tokens.order_by("pk"), 200).get_page(request.GET.get("page"))
    for token in page.object_list:
        token.link = request.build_absolute_uri(reverse("stages:respondent_survey", args=[token.token]))
    return render(
        request,
        "stages/survey_tokens.html",
        {"survey": survey, "unit": survey.unit, "form": form, "page_obj": page, "tokens": page.object_list},
    )


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    rows = selectors.survey_results(request.user, survey)
    labels = [o.label for q in survey.questions.all() if q.counts for o in q.options.all()]
    labels = list(dict.fromkeys(labels))
    for row in rows:
        row.counts_in_order = [row.option_counts.get(label, 0) for label in labels]
    return render(
        request,
        "stages/survey_results.html",
        {
            "survey": survey,
            "unit": survey.unit,
            "rows": rows,
            "labels": labels,
            "closed": survey.status == SurveyStatus.CLOSED,
        },
    )


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    header, rows = exports.survey_rows(request.user, survey)
    content = exports.write_xlsx(str(_("测评结果")), header, rows)
    return _xlsx(content, f"survey-{survey.pk}-{timezone.localdate():%Y%m%d}")


@login_required
def survey_history(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get_visible(request.user, pk)
    return render_history(request, survey, back_url=survey.get_absolute_url(), skip=("public_key",))


@login_required
@require_http_methods(["GET", "POST"])
def remediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    remediation = selectors.remediation_get_visible(request.user, pk)
    is_office = scope_for(request.user).can_manage(remediation.unit_path)
    form = RemediationForm(
        request.POST or None, initial={"work_done": remediation.work_done, "version": remediation.version}
    )
    if request.method == "POST":
        require(is_office, _("只有活动办可以记录返工补课情况。"))
        if form.is_valid():
            try:
                remediation = services.remediation_record(
                    actor=request.user, remediation=remediation, **form.cleaned_data
                )
                if "close" in request.POST:
                    services.remediation_close(
                        actor=request.user, remediation=remediation, version=remediation.version
                    )
            except (ValidationError, PermissionDenied) as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(remediation)
    return render(
        request,
        "stages/remediation.html",
        {
            "remediation": remediation,
            "unit": remediation.unit,
            "form": form,
            "is_office": is_office,
            "events": remediation.events.all(),
        },
    )


@login_required
def remediation_history(request: HttpRequest, pk: int) -> HttpResponse:
    remediation = selectors.remediation_get_visible(request.user, pk)
    return render_history(request, remediation, back_url=remediation.get_absolute_url())


# --- public pages (no account) ------------------------------------------------------------------


def _refused(
    request: HttpRequest, verdict: ratelimit.Verdict, template: str, context: dict[str, Any]
) -> HttpResponse:
    minutes = max(1, (verdict.retry_after + 59) // 60)
    context["limit_message"] = _("提交过于频繁，请 %(m)d 分钟后再试。") % {"m": minutes}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def public_opinion(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone may send an opinion to a unit; a receipt code lets him see the answer later."""
    unit = get_object_or_404(Unit, code=str(code)[:32], is_active=True)
    form = PublicOpinionForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"unit": unit, "form": form}
    if request.method == "POST":
        verdict = ratelimit.check_all(
            [
                ("opinion_ip", ratelimit.client_ip(request)),
                ("opinion_ip_day", ratelimit.client_ip(request)),
                ("opinion_unit", unit.code),
            ]
        )
        if not verdict.allowed:
            return _refused(request, verdict, "stages/public_opinion.html", context)
        if form.is_valid():
            data = form.cleaned_data
            try:
                opinion = services.opinion_submit_public(
                    unit=unit,
                    category=data["category"],
                    text=data["text"],
                    is_anonymous=data["identity"] != "named",
                    submitter_name=data["submitter_name"],
                    submitter_contact=data["submitter_contact"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return render(request, "stages/public_thanks.html", {"unit": unit, "opinion": opinion})
        return render(request, "stages/public_opinion.html", context, status=400)
    return render(request, "stages/public_opinion.html", context)


@never_cache
def public_receipt(request: HttpRequest) -> HttpResponse:
    """Look up one's opinion by receipt code: its status and, once published, the answer."""
    form = ReceiptForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "opinion": None, "searched": False}
    if request.GET.get("code"):
        verdict = ratelimit.hit("receipt_ip", ratelimit.client_ip(request))
        if not verdict.allowed:
            return _refused(request, verdict, "stages/public_receipt.html", context)
        if form.is_valid():
            opinion = selectors.receipt_lookup(form.cleaned_data["code"])
            context.update(searched=True, opinion=opinion)
            if opinion is not None:
                context["status_label"] = OpinionStatus(selectors.opinion_status(opinion)).label
    return render(request, "stages/public_receipt.html", context)


def _answers_from(request: HttpRequest, survey: Survey) -> dict[int, dict[int, int]]:
    answers: dict[int, dict[int, int]] = {t.pk: {} for t in survey.targets.all()}
    for key, value in request.POST.items():
        parts = key.split("-")
        if len(parts) != 3 or parts[0] != "a":
            continue
        target_id, question_id, option_id = _int(parts[1]), _int(parts[2]), _int(value)
        if target_id in answers and question_id is not None and option_id is not None:
            answers[target_id][question_id] = option_id
    return answers


def _blocks(survey: Survey, answers: dict[int, dict[int, int]]) -> list[dict[str, Any]]:
    """The questionnaire per target, with what the respondent had chosen (when the form comes back)."""
    questions = list(survey.questions.all())
    return [
        {
            "target": target,
            "questions": [
                {
                    "question": question,
                    "options": [
                        (option, answers.get(target.pk, {}).get(question.pk) == option.pk)
                        for option in question.options.all()
                    ],
                }
                for question in questions
            ],
        }
        for target in survey.targets.all()
    ]


def _survey_page(
    request: HttpRequest, survey: Survey, *, token: str | None, browser_id: str | None
) -> HttpResponse:
    context: dict[str, Any] = {"survey": survey, "token": token, "blocks": _blocks(survey, {})}
    now = clock.now()
    context["is_open"] = survey.status == SurveyStatus.OPEN and survey.opens_at <= now <= survey.closes_at
    if token is not None:
        context["used"] = survey.tokens.filter(token=token, used_at__isnull=False).exists()
    if request.method == "POST":
        verdict = ratelimit.hit("survey_ip", ratelimit.client_ip(request))
        if not verdict.allowed:
            return _refused(request, verdict, "stages/public_survey.html", context)
        answers = _answers_from(request, survey)
        context["blocks"] = _blocks(survey, answers)
        try:
            services.survey_respond(survey=survey, answers=answers, token=token, browser_id=browser_id)
        except ValidationError as exc:
            context["errors"] = exc.messages
            return render(request, "stages/public_survey.html", context, status=400)
        return render(request, "stages/public_survey_done.html", {"survey": survey})
    return render(request, "stages/public_survey.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def public_survey(request: HttpRequest, key: str) -> HttpResponse:
    """A public-link survey: one response per browser (a signed cookie holds the browser's id)."""
    survey = selectors.survey_for_answering(public_key=key)
    if survey is None or survey.mode != SurveyMode.PUBLIC or survey.status == SurveyStatus.DRAFT:
        raise Http404
    if survey.purpose == SurveyPurpose.ITEM:  # rated on the item's own page, where the rule applies
        return redirect("rectification:public_rate", survey.item_rating.item_id)
    browser_id = request.get_signed_cookie(BROWSER_COOKIE, default=None, salt="stages.survey")
    response = _survey_page(request, survey, token=None, browser_id=browser_id)
    if not browser_id:
        response.set_signed_cookie(
            BROWSER_COOKIE,
            secrets.token_urlsafe(24),
            salt="stages.survey",
            max_age=3600 * 24 * 365,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def respondent_survey(request: HttpRequest, token: str) -> HttpResponse:
    """A named respondent's one-time link."""
    survey = selectors.survey_for_answering(token=token)
    if survey is None or survey.mode != SurveyMode.RESPONDENTS or survey.status == SurveyStatus.DRAFT:
        raise Http404
    return _survey_page(request, survey, token=str(token)[:64], browser_id=None)
