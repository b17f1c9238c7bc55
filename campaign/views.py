from __future__ import annotations

import datetime
import mimetypes
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign import selectors, services
from campaign.audit import history_entries
from campaign.celery import app as celery_app
from campaign.choices import JobStatus, Stage
from campaign.files import open_private
from campaign.forms import (
    AdvanceForm,
    CalendarForm,
    LookBackCloseForm,
    LookBackForm,
    OverrideForm,
    add_service_error,
)
from campaign.gates import PENDING_TEXT, condition_label, conditions, get_condition
from campaign.models import Gate
from campaign.selectors import campaigns_visible_to, job_get_own
from campaign.windows import CalendarBook
from units.access import require, scope_for
from units.choices import Level, Role, UnitKind
from units.models import Unit
from units.selectors import unit_get_visible


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """我的工作台: the units the user reaches, with what he may do there."""
    scope = scope_for(request.user)
    roots = (
        list(Unit.objects.filter(path__in=scope.root_paths()).order_by("path"))
        if not scope.is_superuser
        else list(Unit.objects.filter(depth__lte=2).order_by("path"))
    )
    role_labels = dict(Role.choices)
    for unit in roots:
        unit.my_roles = sorted(role_labels[r] for r in scope.roles_on(unit.path))
    return render(
        request,
        "campaign/home.html",
        {"roots": roots, "campaigns": campaigns_visible_to(request.user), "scope": scope},
    )


@never_cache
@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """The most trivial view: the ceiling of the load run (``manage.py loadrun``) and a liveness probe."""
    return HttpResponse("ok", content_type="text/plain")


def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker reachability, for load balancers and docker-compose."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:
        checks["database"] = {"ok": False, "error": exc.__class__.__name__}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
            checks["broker"] = {"ok": True, "transport": conn.transport_cls}
    except Exception as exc:
        checks["broker"] = {"ok": False, "error": exc.__class__.__name__}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def render_history(
    request: HttpRequest, obj: Model, *, back_url: str, skip: tuple[str, ...] = ()
) -> HttpResponse:
    """The history page beside a record; callers have checked the record is visible."""
    return render(
        request,
        "campaign/history.html",
        {
            "object": obj,
            "entries": history_entries(obj, skip=skip),
            "back_url": back_url,
            "model_name": obj._meta.verbose_name,
        },
    )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_get_own(request.user, pk)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "percent": job.percent,
                "done": job.done,
                "total": job.total,
                "finished": job.finished,
                "error": job.error,
                "download_url": reverse("job_download", args=[job.pk]) if job.has_file else "",
            }
        )
    return render(request, "campaign/job.html", {"job": job, "title": _("后台任务")})


JOBS_PER_PAGE = 50


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """我的导入导出: the user's own jobs, newest first (one page: a count and one select)."""
    page = Paginator(selectors.jobs_of(request.user), JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaign/jobs.html",
        {
            "page": page,
            "live": any(not job.finished for job in page),
            "title": _("我的导入导出"),
            "retention_days": settings.JOB_FILE_RETENTION_DAYS,
        },
    )


@login_required
def job_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The file a job wrote, for its owner only; an expired file says so."""
    job = job_get_own(request.user, pk)
    if job.status == JobStatus.EXPIRED:
        return render(
            request,
            "campaign/job_expired.html",
            {"job": job, "title": _("文件已过期"), "retention_days": settings.JOB_FILE_RETENTION_DAYS},
            status=410,
        )
    if not job.has_file:
        raise Http404
    try:
        stream = open_private(job.result["file"])
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream,
        as_attachment=True,
        filename=job.result.get("name") or f"job-{job.pk}",
        content_type=job.result.get("content_type")
        or mimetypes.guess_type(job.result.get("name") or "")[0]
        or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- stage windows, stage states, gates, 回头看 ---------------------------------


def _campaign_param(request: HttpRequest) -> Any:
    return request.POST.get("campaign") or request.GET.get("campaign")


def _stages_url(unit: Unit, campaign: Any) -> str:
    return f"{reverse('campaign:stages', args=[unit.code])}?campaign={campaign.pk}"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
def stages_overview(request: HttpRequest, code: str) -> HttpResponse:
    """环节进度: the calendar of the unit's area and the stage of every unit below it."""
    root = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, root, _campaign_param(request))
    position = request.GET.get("position", "")
    late, blocked = request.GET.get("late") == "1", request.GET.get("blocked") == "1"
    filters = {"position": position, "late": late, "blocked": blocked}
    overview = selectors.subtree_overview(
        request.user,
        campaign,
        root,
        position=position,
        late_only=late,
        blocked_only=blocked,
        page=request.GET.get("page"),
    )
    query: dict[str, Any] = {"campaign": campaign.pk}
    if position:
        query["position"] = position
    if late:
        query["late"] = 1
    if blocked:
        query["blocked"] = 1
    scope = scope_for(request.user)
    return render(
        request,
        "campaign/stages.html",
        {
            "unit": root,
            "o": overview,
            "campaign": campaign,
            "can_manage": scope.can_manage(root.path),
            "filters": filters,
            "base_query": urlencode(query),
            "positions": [
                ("not_started", _("未开始"), overview.by_position.get(0, 0)),
                ("stage1", Stage.STUDY.label, overview.by_position.get(1, 0)),
                ("stage2", Stage.CRITICISM.label, overview.by_position.get(2, 0)),
                ("stage3", Stage.RECTIFICATION.label, overview.by_position.get(3, 0)),
                ("finished", _("已完成"), overview.by_position.get(4, 0)),
            ],
            "can_set_calendar": scope.can_manage(root.path) and root.is_territorial and root.level < 5,
        },
    )


@login_required
@require_POST
def campaign_open_view(request: HttpRequest, code: str) -> HttpResponse:
    root = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, root, _campaign_param(request))
    require(scope_for(request.user).can_manage(root.path))
    try:
        count = services.campaign_open(actor=request.user, campaign=campaign, root=root)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if count:
            messages.success(request, _("已为 %(n)s 个单位开启活动，均为“未开始”。") % {"n": count})
        else:
            messages.info(request, _("本单位及下级的参加单位都已开启，没有新增。"))
    return redirect(_stages_url(root, campaign))


@login_required
@require_POST
def advance_view(request: HttpRequest, code: str) -> HttpResponse:
    """进入下一环节 (or 启动, or 完成) from the unit page or the office table."""
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, unit, _campaign_param(request))
    require(scope_for(request.user).can_manage(unit.path), _("只有该单位的上级活动办可以推进环节。"))
    state = selectors.unit_stages_visible_to(request.user).filter(campaign=campaign, unit=unit).first()
    if state is None:
        raise Http404
    back = _safe_next(request, unit.get_absolute_url() + "#stages")
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect(back)
    try:
        state = services.unit_stage_advance(
            actor=request.user,
            unit_stage=state,
            from_position=form.cleaned_data["from_position"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("“%(unit)s”现在是“%(now)s”。") % {"unit": unit.name, "now": state.position_label}
        )
    return redirect(back)


@login_required
def unit_stage_history(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, unit, _campaign_param(request))
    state = selectors.unit_stages_visible_to(request.user).filter(campaign=campaign, unit=unit).first()
    if state is None:
        raise Http404
    return render_history(request, state, back_url=unit.get_absolute_url() + "#stages", skip=("unit_path",))


def _calendar_initial(campaign: Any, unit: Unit, calendar: Any, inherited: Any) -> dict[str, Any]:
    if calendar is not None:
        source, shift = calendar, datetime.timedelta(0)
    elif inherited is not None:
        source = inherited
        shift = datetime.timedelta(days=inherited.offset_days(max(unit.level, 2)))
    else:
        return {"interval_days": 15}
    initial: dict[str, Any] = {
        "interval_days": source.interval_days,
        "note": calendar.note if calendar else "",
        "version": calendar.version if calendar else None,
    }
    for stage, (start, end) in source.top_windows().items():
        initial[f"stage{stage}_start"] = start + shift
        initial[f"stage{stage}_end"] = end + shift
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def calendar_edit(request: HttpRequest, code: str) -> HttpResponse:
    """An office sets its area's calendar: the top level's windows and the interval to the levels below."""
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, unit, _campaign_param(request))
    require(scope_for(request.user).can_manage(unit.path), _("只有本级或上级活动办可以设置环节日程。"))
    calendars = selectors.calendars_around(campaign, unit)
    own = next((c for c in calendars if c.unit_id == unit.pk), None)
    inherited = CalendarBook([c for c in calendars if c.unit_id != unit.pk], []).calendar_for(unit.path)
    form = CalendarForm(request.POST or None, initial=_calendar_initial(campaign, unit, own, inherited))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_set(actor=request.user, campaign=campaign, unit=unit, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("环节日程已保存，下级各层级的日程随之顺延。"))
            return redirect(_stages_url(unit, campaign))
    level_label = Level(max(unit.level, 2)).label
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("%(unit)s 环节日程") % {"unit": unit.name},
            "intro": _(
                "这里设置%(level)s一级的三个环节日程；下级每低一级，开始和结束日期顺延“逐级间隔”天数"
                "（“压茬推进，间隔一般半个月左右”）。单位自己的日程调整优先于此。"
            )
            % {"level": level_label},
            "back_url": _stages_url(unit, campaign),
            "campaign": campaign,
            "history_url": reverse("campaign:calendar_history", args=[unit.code]) + f"?campaign={campaign.pk}"
            if own
            else "",
        },
    )


@login_required
def calendar_history(request: HttpRequest, code: str) -> HttpResponse:
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, unit, _campaign_param(request))
    calendar = selectors.calendars_visible_to(request.user).filter(campaign=campaign, unit=unit).first()
    if calendar is None:
        raise Http404
    return render_history(request, calendar, back_url=_stages_url(unit, campaign), skip=("unit_path",))


@login_required
@require_http_methods(["GET", "POST"])
def override_edit(request: HttpRequest, code: str) -> HttpResponse:
    """An office gives one unit its own window for a stage."""
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, unit, _campaign_param(request))
    require(scope_for(request.user).can_manage(unit.path), _("只有本级或上级活动办可以调整单位的环节日程。"))
    try:
        stage = int(request.GET.get("stage") or request.POST.get("stage") or 1)
    except ValueError:
        stage = 1
    existing = (
        selectors.overrides_visible_to(request.user).filter(campaign=campaign, unit=unit, stage=stage).first()
    )
    initial: dict[str, Any] = {"stage": stage}
    if existing is not None:
        initial.update(
            start=existing.start, end=existing.end, reason=existing.reason, version=existing.version
        )
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.window_override_set(actor=request.user, campaign=campaign, unit=unit, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已为“%(unit)s”单独设置环节日程。") % {"unit": unit.name})
            return redirect(_safe_next(request, unit.get_absolute_url() + "#stages"))
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("调整 %(unit)s 的环节日程") % {"unit": unit.name},
            "intro": _("单位自己的日程优先于所在层级的日程，用于个别单位提前、推迟或延长某个环节。"),
            "back_url": unit.get_absolute_url() + "#stages",
            "campaign": campaign,
        },
    )


@login_required
def override_history(request: HttpRequest, pk: int) -> HttpResponse:
    override = selectors.overrides_visible_to(request.user).filter(pk=pk).select_related("unit").first()
    if override is None:
        raise Http404
    return render_history(
        request, override, back_url=override.unit.get_absolute_url() + "#stages", skip=("unit_path",)
    )


@login_required
@require_http_methods(["GET", "POST"])
def lookback_add(request: HttpRequest, code: str) -> HttpResponse:
    """记录回头看: a member of the 督导组 covering the unit judges one of its stages."""
    unit = unit_get_visible(request.user, code)
    campaign = selectors.campaign_for_unit(request.user, unit, _campaign_param(request))
    state = selectors.unit_stages_visible_to(request.user).filter(campaign=campaign, unit=unit).first()
    if state is None:
        raise Http404
    require(
        services.supervising_assignment(request.user, campaign, unit) is not None,
        _("只有派驻该单位（或其上级单位）的督导组成员可以记录回头看。"),
    )
    stage = state.stage or (Stage.RECTIFICATION if state.position == 4 else Stage.STUDY)
    initial = {"stage": stage - 1 if state.stage and state.stage > 1 else stage}
    form = LookBackForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.lookback_record(actor=request.user, unit_stage=state, **data)
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("回头看已记录。"))
            return redirect(unit.get_absolute_url() + "#stages")
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "unit": unit,
            "title": _("记录回头看：%(unit)s") % {"unit": unit.name},
            "intro": _(
                "该单位现在“%(now)s”。通过：不改变进度；限期整改：销号前不能进入下一环节；"
                "延时补课：该环节日程延至期限，单位不退回；推倒重来：单位回到该环节重新开展，"
                "已做的工作保留在记录中。"
            )
            % {"now": state.position_label},
            "back_url": unit.get_absolute_url() + "#stages",
            "campaign": campaign,
            "submit_label": _("记录"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lookback_close(request: HttpRequest, pk: int) -> HttpResponse:
    """限期整改销号, by the 督导组 or the office, with what was done."""
    lookback = selectors.lookback_get_visible(request.user, pk)
    require(
        scope_for(request.user).can_manage(lookback.unit_path)
        or services.supervising_assignment(request.user, lookback.campaign, lookback.unit) is not None,
        _("只有督导该单位的督导组或其上级活动办可以为限期整改销号。"),
    )
    form = LookBackCloseForm(request.POST or None, initial={"version": lookback.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.lookback_close(
                actor=request.user,
                lookback=lookback,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except (ValidationError, PermissionDenied) as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("限期整改已销号。"))
            return redirect(lookback.unit.get_absolute_url() + "#stages")
    return render(
        request,
        "campaign/form.html",
        {
            "form": form,
            "unit": lookback.unit,
            "title": _("限期整改销号：%(unit)s") % {"unit": lookback.unit.name},
            "intro": _("“%(stage)s”回头看，期限 %(due)s。整改要点：%(points)s")
            % {"stage": lookback.get_stage_display(), "due": lookback.due_date, "points": lookback.points},
            "back_url": lookback.unit.get_absolute_url() + "#stages",
            "submit_label": _("销号"),
        },
    )


@login_required
def lookback_history(request: HttpRequest, pk: int) -> HttpResponse:
    lookback = selectors.lookback_get_visible(request.user, pk)
    return render_history(
        request, lookback, back_url=lookback.unit.get_absolute_url() + "#stages", skip=("unit_path",)
    )


@login_required
def gates_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The gates of a campaign by stage, with which conditions are evaluated yet."""
    campaign = selectors.campaigns_visible_to(request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    rows = list(Gate.objects.filter(campaign=campaign).order_by("stage", "-is_active", "id"))
    kinds = dict(UnitKind.choices)
    by_stage = []
    for stage in Stage:
        gates = []
        for gate in (g for g in rows if g.stage == stage):
            condition = get_condition(gate.condition)
            gates.append(
                {
                    "gate": gate,
                    "label": condition_label(gate.condition, gate.params),
                    "kinds": "、".join(str(kinds.get(k, k)) for k in gate.unit_kinds) or _("所有单位"),
                    "enabled": bool(condition and condition.enabled),
                    "fix_label": condition.fix_label if condition else "",
                }
            )
        by_stage.append((stage.label, gates))
    return render(
        request,
        "campaign/gates.html",
        {
            "campaign": campaign,
            "by_stage": by_stage,
            "builtins": [c for c in conditions() if c.builtin],
            "conditions": [(c, condition_label(c.key)) for c in conditions() if not c.builtin],
            "pending_text": PENDING_TEXT,
        },
    )
