"""Pages of the dashboard of a subtree (namespace ``campaign``): summary, charts, drill-down, .xlsx."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaign import clock, selectors
from campaign import dashboard as dashboards
from campaign.tabular import write_xlsx
from units.access import scope_for
from units.models import Unit


def _board(request: HttpRequest, code: str, *, with_charts: bool) -> dashboards.Dashboard:
    query = request.GET
    return dashboards.dashboard_for(request.user, code, query, with_charts=with_charts, may_refresh=True)


@login_required
@require_GET
def dashboard_home(request: HttpRequest) -> HttpResponse:
    """进度看板: the top unit of the user's scope."""
    scope = scope_for(request.user)
    paths = scope.root_paths() if not scope.is_superuser else []
    units = Unit.objects.filter(path__in=paths) if paths else Unit.objects.filter(depth__lte=2)
    for unit in units.order_by("depth", "path"):
        if selectors.campaigns_for_unit(request.user, unit).exists():
            return redirect("campaign:dashboard", code=unit.code)
    return render(request, "campaign/dashboard_empty.html", {"title": _("进度看板")})


@login_required
@require_GET
def dashboard_page(request: HttpRequest, code: str) -> HttpResponse:
    """进度看板 of a unit: summary cards, charts and the figures of each child unit."""
    board = _board(request, code, with_charts=True)
    base: dict[str, Any] = {"campaign": board.campaign.pk}
    if board.kind:
        base["kind"] = board.kind
    sort_links = {}
    for column in [*board.table_columns, None]:
        key = column.key if column else dashboards.NAME_SORT
        if key == board.sort:
            direction = "asc" if board.direction == "desc" else "desc"
        else:
            direction = dashboards.default_direction(column)
        sort_links[key] = "?" + urlencode({**base, "sort": key, "dir": direction})
    query = {**base}
    if board.sort:
        query.update(sort=board.sort, dir=board.direction)
    return render(
        request,
        "campaign/dashboard.html",
        {
            "unit": board.root,
            "board": board,
            "campaign": board.campaign,
            "sort_links": sort_links,
            "export_url": reverse("campaign:dashboard_export", args=[board.root.code])
            + "?"
            + urlencode(query),
            "kind_links": [
                (value, label, n, "?" + urlencode({"campaign": board.campaign.pk, "kind": value}))
                for value, label, n in board.kinds
            ],
            "all_kinds_link": "?" + urlencode({"campaign": board.campaign.pk}),
            "chart_data": [c.as_dict() for c in board.charts],
            "title": board.root.name,
            "board_today": clock.today().strftime("%Y-%m-%d"),
            "cache_minutes": dashboards.cache_seconds() // 60,
            "can_refresh": scope_for(request.user).is_office_staff and dashboards.cache_seconds() > 0,
            "refresh_url": "?" + urlencode({**query, "refresh": 1}),
        },
    )


@login_required
@require_GET
def dashboard_export(request: HttpRequest, code: str) -> HttpResponse:
    """The drill-down table as .xlsx (same sort and filter as the page)."""
    board = _board(request, code, with_charts=False)
    content = write_xlsx(_("进度看板"), dashboards.table_header(board), dashboards.table_rows(board))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"{board.root.code}-dashboard-{board.campaign.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
