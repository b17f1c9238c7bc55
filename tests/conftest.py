"""Shared fixtures: a small province with two counties and one user per role.

    省 ── 市 ─┬─ 县A ─┬─ 县A人民政府
              │        ├─ 县A教育局
              │        └─ 镇A ── 村A
              └─ 县B ──── 镇B ── 村B

Users (alice = county A side, bob = county B side):
  office      县A活动办 staff          outsider   no post, no seat
  office_b    县B活动办 staff          superuser  the admin
  supervisor  市委督导组, sent to 县A
  principal   县A 县委书记             member     县A 县委常委
  village     村A 书记
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from campaign.celery import app as celery_app
from tests.factories import (
    PersonFactory,
    UserFactory,
    login_as,
    make_campaign,
    make_org,
    make_post,
    make_unit,
    rolled_back_after,
    root_admin,
    seat,
)
from units import services
from units.choices import OrgKind, OrgRole, PostRole, UnitKind
from units.models import Unit


@dataclass
class World:
    province: Unit
    city: Unit
    county_a: Unit
    county_a_gov: Unit
    county_a_dept: Unit
    town_a: Unit
    village_a: Unit
    county_b: Unit
    town_b: Unit
    village_b: Unit
    campaign: Any
    users: dict[str, Any]

    def user(self, role: str) -> Any:
        return self.users[role]


def build_world() -> World:
    province = make_unit(None, UnitKind.PROVINCE, "测试省", "P00")
    city = make_unit(province, UnitKind.CITY, "测试市", "C01")
    county_a = make_unit(city, UnitKind.COUNTY, "甲县", "A00")
    county_a_gov = make_unit(county_a, UnitKind.GOVERNMENT, "甲县人民政府", "A00-ZF")
    county_a_dept = make_unit(county_a, UnitKind.DEPARTMENT, "甲县教育局", "A00-JYJ")
    town_a = make_unit(county_a, UnitKind.TOWNSHIP, "甲镇", "A01")
    village_a = make_unit(town_a, UnitKind.VILLAGE, "甲村", "A01001")
    county_b = make_unit(city, UnitKind.COUNTY, "乙县", "B00")
    town_b = make_unit(county_b, UnitKind.TOWNSHIP, "乙镇", "B01")
    village_b = make_unit(town_b, UnitKind.VILLAGE, "乙村", "B01001")
    campaign = make_campaign(province)

    users: dict[str, Any] = {}
    office_a = make_org(campaign, county_a, OrgKind.OFFICE)
    office_b = make_org(campaign, county_b, OrgKind.OFFICE)
    group = make_org(campaign, city, OrgKind.SUPERVISION_GROUP, "测试市委第一督导组")
    services.supervision_assign(
        actor=root_admin(), group=group, unit=county_a, start_date=campaign.start_date
    )

    staff_a, staff_b, supervisor = (
        PersonFactory(name="甲县干事"),
        PersonFactory(name="乙县干事"),
        PersonFactory(name="督导员"),
    )
    seat(office_a, staff_a)
    seat(office_b, staff_b)
    seat(group, supervisor, OrgRole.LEADER)
    secretary = make_post(county_a, role=PostRole.PRINCIPAL, title="县委书记").person
    member = make_post(county_a, title="县委常委", oversees=[county_a_dept]).person
    village_secretary = make_post(village_a, role=PostRole.PRINCIPAL, title="村党支部书记").person
    make_post(county_b, role=PostRole.PRINCIPAL, title="县委书记")
    make_post(county_a_gov, role=PostRole.PRINCIPAL, title="县长")

    users["office"] = login_as(staff_a, "office")
    users["office_b"] = login_as(staff_b, "office_b")
    users["supervisor"] = login_as(supervisor, "supervisor")
    users["principal"] = login_as(secretary, "principal")
    users["member"] = login_as(member, "member")
    users["village"] = login_as(village_secretary, "village")
    users["outsider"] = UserFactory(username="outsider")
    users["superuser"] = root_admin()
    return World(
        province,
        city,
        county_a,
        county_a_gov,
        county_a_dept,
        town_a,
        village_a,
        county_b,
        town_b,
        village_b,
        campaign,
        users,
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The rows the data migrations install (the review chains), on the database that
    --no-migrations built from the models."""
    from django.apps import apps

    from materials.meeting_chains import install as install_meeting_chains
    from materials.standard_chains import install as install_material_chains
    from rectification.review_chains import install as install_plan_chains

    with django_db_blocker.unblock():
        install_material_chains(apps)
        install_meeting_chains(apps)
        install_plan_chains(apps)


@pytest.fixture(autouse=True)
def _fast_tests(settings: Any) -> Any:
    """Cheap password hashing; Celery tasks run inline unless a test starts a real worker."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # client.login() passes no request, which django-axes needs; tests/campaign/test_security.py
    # turns it back on to test the lockout.
    settings.AXES_ENABLED = False
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def _commits(item: Any) -> bool:
    """Whether a test commits for real (so no transaction may be open around it)."""
    marker = item.get_closest_marker("django_db")
    kwargs = marker.kwargs if marker is not None else {}
    flagged = kwargs.get("transaction") or kwargs.get("reset_sequences")
    return bool(flagged) or bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="module")
def _world_once(request: Any, django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The world built once per module inside a transaction that rolls back after the module's
    last test, each test's own transaction nesting inside it (building it took ~0.3 s on SQLite
    and ~0.55 s on PostgreSQL, for most of the suite's tests). None in a module with tests that
    commit: there each test builds its own."""
    neighbours = [item for item in request.session.items if getattr(item, "module", None) is request.module]
    if any(_commits(item) for item in neighbours):
        yield None
        return
    with rolled_back_after(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(_world_once: World | None, db: Any) -> World:
    if _world_once is None:
        return build_world()
    return _fresh(_world_once)


def _fresh(world: World) -> World:
    """The module's world read again, so what a test changed in memory does not reach the next."""
    from django.contrib.auth import get_user_model

    from campaign.models import Campaign

    names = [name for name in World.__dataclass_fields__ if name not in ("campaign", "users")]
    units = Unit.objects.in_bulk([getattr(world, name).pk for name in names])
    users = get_user_model().objects.in_bulk([user.pk for user in world.users.values()])
    return World(
        **{name: units[getattr(world, name).pk] for name in names},
        campaign=Campaign.objects.get(pk=world.campaign.pk),
        users={role: users[user.pk] for role, user in world.users.items()},
    )


@pytest.fixture
def as_user(client: Any, world: World) -> Any:
    """Log the test client in as one of the world's users: ``as_user("office")``."""

    def login(role: str) -> Any:
        if role == "anonymous":
            client.logout()
        else:
            client.force_login(world.user(role))
        return client

    return login


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Skip PostgreSQL- and Redis-only tests, visibly, when the run is on SQLite / filesystem."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    on_redis = os.environ.get("CELERY_BROKER_URL", "").startswith("redis://")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (second CI pass)")
            )
        if "redis" in item.keywords and not on_redis:
            item.add_marker(
                pytest.mark.skip(reason="needs Redis: set CELERY_BROKER_URL=redis://… (second CI pass)")
            )


@pytest.fixture
def sql_vendor() -> str:
    return connection.vendor
