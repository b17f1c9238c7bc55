from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaign.audit import history_entries
from campaign.celery import app as celery_app
from campaign.selectors import campaigns_visible_to, job_get_own
from units.access import scope_for
from units.choices import Role
from units.models import Unit


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
            }
        )
    return render(request, "campaign/job.html", {"job": job, "title": _("后台任务")})
