"""Schemathesis against the API's own OpenAPI schema, through the WSGI app (no server): whatever it
sends, as a signed-in 活动办 user, the answer is never a 5xx and every 4xx says why.

Bounded: a few examples per operation and a time budget for the whole walk (FUZZ_SECONDS, 100 s by
default); operations not reached in time are listed, not walked. Marker ``fuzz``
(``pytest -m fuzz``); runs in both CI passes.
"""

from __future__ import annotations

import json
import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
BUDGET = float(os.environ.get("FUZZ_SECONDS", "100"))
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the test's connection must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def message_of(body: bytes) -> str:
    """The text a client can show: DRF's ``detail`` or the field errors."""
    try:
        data = json.loads(body or b"null")
    except ValueError:
        return body.decode("utf-8", "replace").strip()
    if isinstance(data, dict):
        return " ".join(str(v) for v in data.values() if v)
    if isinstance(data, list):
        return " ".join(str(v) for v in data if v)
    return str(data or "")


def test_no_server_errors_and_every_refusal_says_why(api_schema, world, settings):
    settings.CAMPAIGN_CLOCK_DATE = None
    token, _ = Token.objects.get_or_create(user=world.user("office"))
    headers = {"Authorization": f"Token {token.key}"}
    failures: list[str] = []
    started, walked, skipped = time.monotonic(), 0, []

    def call(case) -> None:
        response = case.call(headers=headers)
        where = f"{case.method} {case.formatted_path} {case.query or ''} {case.body!r:.300}"
        if response.status_code >= 500:
            failures.append(f"{where} → {response.status_code}: {response.text[:300]}")
        elif response.status_code >= 400 and not message_of(response.content):
            failures.append(f"{where} → {response.status_code} without a message")

    for result in api_schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() - started > BUDGET:
            skipped.append(operation.label)
            continue
        run = given(case=operation.as_strategy())(call)
        settings_for = hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        settings_for(run)()
        walked += 1
    if skipped:
        print(f"fuzz: time budget used up; not walked: {skipped}")
    assert walked, "no API operation was fuzzed"
    assert not failures, "\n".join(failures)
