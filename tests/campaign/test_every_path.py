"""Every URL and every API operation, with every role, against the access table.

The walk fails on
- a URL name or an API (path, method) that is not in tests/access_table.py (add one line there);
- an answer other than the one the table expects for a role on county A's record;
- anything but 404 for a county-A user on county B's record (and no trace of its text);
- any county-B marker text in any page or API answer shown to a county-A user (lists included).

Pages are walked with GET; POST-only actions (405 on GET) are sent county B's record with an
empty form and must answer 404. API operations that write are sent, as each county-A user, to
county B's record with an empty body: the table says what each gets (404: never a 400, which
would show that the record exists; never a 5xx).

To see what the walk observes (e.g. to fill the table for a new page), run with
``ACCESS_TABLE_PRINT=1 .venv/bin/pytest -q -s tests/campaign/test_every_path.py``.
"""

from __future__ import annotations

import datetime
import os
import re
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from tests.access_records import ABSENT_ID, SECRET_B, Records, build_records
from tests.access_table import API, PAGES, ROLES, SKIP_PREFIXES, letter

pytestmark = [pytest.mark.django_db, pytest.mark.once]
A_SIDE = [r for r in ROLES if r not in ("anonymous", "office_b")]
PRINT = os.environ.get("ACCESS_TABLE_PRINT") == "1"


def url_names() -> dict[str, str]:
    """{"namespace:name": route} for every named URL pattern, walked recursively."""
    found: dict[str, str] = {}

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or ""
                walk(
                    entry.url_patterns,
                    prefix + str(entry.pattern),
                    f"{namespace}:{ns}".strip(":") if ns else namespace,
                )
            elif isinstance(entry, URLPattern) and entry.name:
                if str(entry.pattern).startswith("^") and prefix.startswith("/api/"):
                    continue  # the REST router's routes: walked from the schema (API)
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.setdefault(name, prefix + str(entry.pattern))

    walk(get_resolver().url_patterns, "/", "")
    return found


def api_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>|\{(?P<api>[^}]+)\}")


def fill(route: str, kinds: str | tuple[str, ...], records: Records, side: str) -> str:
    """The route with its arguments filled: ``code`` is a unit, ``pk``/``id`` the record of ``kinds``."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    record_kinds = iter(kinds)

    def value(match: re.Match) -> str:
        name = match.group("name") or match.group("api")
        if name in ("code", "unit_code") and "unit" not in kinds:
            return str(records.side("unit", side))
        if name in ("pk", "id", "code"):
            return str(records.side(next(record_kinds), side))
        return str(ABSENT_ID)  # step ids, version numbers, links, tokens

    return _PARAM.sub(value, route)


@pytest.fixture(scope="module")
def _built_once(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """The world and its records, built once for the module inside a transaction rolled back at
    the end; each test's own transaction nests inside it (as tests/materials/conftest.py does)."""
    from django.db import transaction
    from django.test.utils import override_settings

    from campaign.celery import app as celery_app
    from tests.conftest import build_world

    private = tmp_path_factory.mktemp("access") / "private"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            with override_settings(
                PRIVATE_MEDIA_ROOT=private,
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                AXES_ENABLED=False,
            ):
                world = build_world()
                # Inside the override, what build_records sets on the settings is undone on leaving it.
                records = build_records(world, django_settings)
            yield world, records, private
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager


@pytest.fixture
def world(_built_once: Any, db: Any, settings: Any) -> Any:
    world, _, private = _built_once
    settings.PRIVATE_MEDIA_ROOT = private
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    return world


@pytest.fixture
def records(_built_once: Any, world: Any) -> Records:
    return _built_once[1]


def test_every_url_and_operation_is_in_the_access_table():
    names = {name for name in url_names() if not name.startswith(SKIP_PREFIXES)}
    missing = sorted(names - set(PAGES))
    assert not missing, (
        f"URL names without an access rule: add a line for each to PAGES in tests/access_table.py: {missing}"
    )
    stale = sorted(set(PAGES) - names)
    assert not stale, f"PAGES in tests/access_table.py lists URLs that no longer exist: {stale}"
    operations = api_operations()
    missing_api = sorted(f"{m} {p}" for m, p in operations if f"{m} {p}" not in API)
    assert not missing_api, (
        "API operations without an access rule: add a line for each to API in tests/access_table.py: "
        f"{missing_api}"
    )
    stale_api = sorted(set(API) - {f"{m} {p}" for m, p in operations})
    assert not stale_api, f"API in tests/access_table.py lists operations that no longer exist: {stale_api}"


def _body(response: Any) -> bytes:
    """The answer's bytes; a file download (FileResponse) is read from its stream."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
        # Not response.close(): it would send request_finished, which closes the test's connection.
        for closer in response._resource_closers:
            closer()
        return body
    return response.content


def _check_no_leak(response: Any, role: str, where: str, problems: list[str]) -> None:
    if role in A_SIDE and SECRET_B in _body(response).decode("utf-8", "replace"):
        problems.append(f"LEAK {where}: {role} sees county B's record")


def _cross(expect: str, role: str) -> bool:
    """Send county B's record to this county-A role? Those that can reach A's record, and the outsider."""
    return role in A_SIDE and (expect != "4" or role == "outsider")


def _walk_pages(world: Any, as_user: Any, records: Records) -> list[str]:
    routes = url_names()
    problems, observed = [], {}
    for name, (kinds, rule) in sorted(PAGES.items()):
        route = routes[name]
        own, other = fill(route, kinds, records, "A"), fill(route, kinds, records, "B")
        public = rule[0] == "a"
        seen = ""
        for role, expect in zip(ROLES, rule, strict=True):
            client = as_user(role)
            response = client.get(own)
            got = letter(response)
            seen += got
            if got != expect:
                problems.append(f"{name} {own} as {role}: expected {expect!r}, got {got!r}")
            _check_no_leak(response, role, f"{name} {own}", problems)
            if other != own and not public and _cross(expect, role):
                # POST-only actions are sent county B's record with an empty form: 404 before anything.
                response = client.post(other, {}) if expect == "m" else client.get(other)
                if response.status_code != 404:
                    problems.append(f"{name} {other} (county B) as {role}: {response.status_code}, not 404")
                _check_no_leak(response, role, f"{name} {other}", problems)
        observed[name] = seen
    if PRINT:
        for name, seen in observed.items():
            print(f'    "{name}": ({PAGES[name][0]!r}, "{seen}"),')
    return problems


def test_every_page_answers_each_role_as_the_table_says(world, as_user, records):
    problems = _walk_pages(world, as_user, records)
    assert not problems, "\n".join(problems)


def test_every_api_operation_answers_each_role_as_the_table_says(world, as_user, records):
    """GET: each role on county A's record. Writes: anonymous on A's record, each county-A user on
    county B's record (404: nothing about it is revealed, not even that the body is wrong), and
    office_b on A's record; operations without an id get an empty body from every role."""
    problems, observed = [], {}
    for key, (kinds, rule) in sorted(API.items()):
        method, route = key.split(" ", 1)
        own, other = fill(route, kinds, records, "A"), fill(route, kinds, records, "B")
        seen = ""
        for role, expect in zip(ROLES, rule, strict=True):
            client = as_user(role)
            if method == "GET":
                response = client.get(own)
            else:
                target = other if role in A_SIDE else own
                response = getattr(client, method.lower())(target, {}, content_type="application/json")
            got = letter(response)
            seen += got
            if got != expect:
                problems.append(f"{key} as {role}: expected {expect!r}, got {got!r}")
            _check_no_leak(response, role, key, problems)
            if method == "GET" and other != own and _cross(expect, role):
                response = client.get(other)
                if response.status_code != 404:
                    problems.append(f"{key} {other} (county B) as {role}: {response.status_code}, not 404")
                _check_no_leak(response, role, key, problems)
        observed[key] = seen
    if PRINT:
        for key, seen in observed.items():
            print(f'    "{key}": ({API[key][0]!r}, "{seen}"),')
    assert not problems, "\n".join(problems)
