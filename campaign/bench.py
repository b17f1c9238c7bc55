"""The benchmark's machinery and the campaign's own cases (dashboards).

``manage.py bench`` collects ``CASES`` from ``<app>/bench.py``. A case does one thing on the
data present — a page through ``django.test.Client`` logged in as a realistic user, or a
service call — and may name a floor: one hand-written SQL statement giving the same answer,
timed on the same data, so that a page is judged against what the database needs.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, reverse

from campaign.models import Campaign
from units.choices import OrgKind, PostRole, UnitCategory, UnitKind
from units.models import OrgMembership, Post, Unit


class Skip(Exception):
    """The case cannot run on this data or this database; the message says why."""


@dataclass
class Case:
    name: str
    run: Callable[[Setting], Any]
    floor: Callable[[Setting], tuple[str, list[Any]]] | None = None
    kind: str = "read"  # read (a page), write (a service call), batch (one long run)
    repeat: int = 15
    warmup: int = 3
    target_ms: float | None = None
    note: str = ""


@dataclass
class Setting:
    """The data the cases run on: the biggest campaign's province, a city, a county, their users."""

    clients: dict[int, Client] = field(default_factory=dict)
    memo: dict[str, Any] = field(default_factory=dict)  # what cases look up once per setting

    @cached_property
    def campaign(self) -> Campaign:
        campaign = Campaign.objects.order_by("-pk").first()
        if campaign is None:
            raise Skip("no campaign: run generate_province first")
        return campaign

    @cached_property
    def province(self) -> Unit:
        return self.campaign.root_unit

    def _largest_child(self, parent: Unit, kind: str) -> Unit:
        unit = (
            Unit.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, kind=kind)
            .order_by("-numchild", "path")
            .first()
        )
        if unit is None:
            raise Skip(f"no {kind} under {parent}")
        return unit

    @cached_property
    def city(self) -> Unit:
        return self._largest_child(self.province, UnitKind.CITY)

    @cached_property
    def county(self) -> Unit:
        return self._largest_child(self.city, UnitKind.COUNTY)

    def principal_user(self, unit: Unit) -> Any:
        post = (
            Post.objects.active()
            .filter(unit=unit, role=PostRole.PRINCIPAL, person__user__isnull=False)
            .select_related("person__user")
            .first()
        )
        if post is None or post.person.user is None:
            raise Skip(f"{unit} has no principal with an account")
        return post.person.user

    def office_user(self, area: Unit) -> Any:
        seat = (
            OrgMembership.objects.active()
            .filter(organization__unit=area, organization__kind=OrgKind.OFFICE, person__user__isnull=False)
            .select_related("person__user")
            .order_by("pk")
            .first()
        )
        if seat is None or seat.person.user is None:
            raise Skip(f"{area} has no office staff with an account")
        return seat.person.user

    @cached_property
    def member_user(self) -> Any:
        post = (
            Post.objects.active()
            .filter(unit=self.county, role=PostRole.MEMBER, person__user__isnull=False)
            .select_related("person__user")
            .first()
        )
        if post is None or post.person.user is None:
            raise Skip("the county has no member with an account")
        return post.person.user

    @cached_property
    def direct_unit(self) -> Unit:
        unit = (
            Unit.objects.filter(path__startswith=self.county.path, category=UnitCategory.DIRECT)
            .order_by("path")
            .first()
        )
        return unit or self.county

    def client_for(self, user: Any) -> Client:
        if user.pk not in self.clients:
            client = Client()
            client.force_login(user)
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def get(self, user: Any, url: str) -> Any:
        response = self.client_for(user).get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} as {user} → {response.status_code}")
        return response


def url_or_skip(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch as exc:
        raise Skip(f"URL {name} does not exist yet") from exc


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(values) if values else 0.0,
        "p95": percentile(values, 0.95),
    }


def run_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


# --- the campaign's cases: dashboards ------------------------------------------------------


def _dashboard(
    pick: Callable[[Setting], Unit],
    who: Callable[[Setting], Any],
    query: str = "",
    view: str = "campaign:dashboard",
) -> Callable[[Setting], Any]:
    def run(s: Setting) -> Any:
        unit = pick(s)
        return s.get(who(s), url_or_skip(view, unit.code) + query)

    return run


def _dashboard_api(
    pick: Callable[[Setting], Unit], who: Callable[[Setting], Any]
) -> Callable[[Setting], Any]:
    def run(s: Setting) -> Any:
        return s.get(who(s), f"/api/dashboards/{pick(s).code}/")

    return run


def _province(s: Setting) -> Unit:
    return s.province


def _city(s: Setting) -> Unit:
    return s.city


def _county(s: Setting) -> Unit:
    return s.county


# Each level's own office looks at its dashboard: the page (rendered, with charts), the
# drill-down table alone (.xlsx) and the API, from the cache (warmed by the first request, as
# dashboard_warm_task does for the top units); then the page recounted live (?refresh=1).
_LEVELS: list[tuple[str, Callable[[Setting], Unit]]] = [
    ("province root", _province),
    ("city", _city),
    ("county", _county),
]


def _office_of(pick: Callable[[Setting], Unit]) -> Callable[[Setting], Any]:
    return lambda s: s.office_user(pick(s))


CASES = [
    *[
        Case(
            f"dashboard: {label}",
            _dashboard(pick, _office_of(pick)),
            target_ms=150,
            note="campaign:dashboard, figures from the cache",
        )
        for label, pick in _LEVELS
    ],
    *[
        Case(
            f"dashboard: {label}, table export (.xlsx)",
            _dashboard(pick, _office_of(pick), view="campaign:dashboard_export"),
            target_ms=150,
            note="campaign:dashboard_export, figures from the cache",
        )
        for label, pick in _LEVELS
    ],
    *[
        Case(
            f"dashboard: {label}, API",
            _dashboard_api(pick, _office_of(pick)),
            target_ms=150,
            note="/api/dashboards/<code>/, figures from the cache",
        )
        for label, pick in _LEVELS
    ],
    # The figures are cached for DASHBOARD_CACHE_SECONDS; these recount them live.
    Case(
        "dashboard: province root, recounted (?refresh=1)",
        _dashboard(_province, _office_of(_province), "?refresh=1"),
        repeat=5,
        warmup=1,
        target_ms=150,
    ),
    Case(
        "dashboard: city, recounted (?refresh=1)",
        _dashboard(_city, _office_of(_city), "?refresh=1"),
        repeat=5,
        warmup=1,
        target_ms=150,
    ),
    Case(
        "dashboard: county, recounted (?refresh=1)",
        _dashboard(_county, _office_of(_county), "?refresh=1"),
        target_ms=150,
    ),
]


def all_cases() -> list[Case]:
    from materials import bench as materials_bench
    from rectification import bench as rectification_bench
    from supervision import bench as supervision_bench
    from units import bench as units_bench

    return [
        *CASES,
        *rectification_bench.READ_CASES,
        *materials_bench.CASES,
        *units_bench.CASES,
        *rectification_bench.CASES,
        *materials_bench.WRITE_CASES,
        *supervision_bench.CASES,
        *units_bench.BATCH_CASES,
    ]


def user_model() -> Any:
    return get_user_model()
