"""Two people editing one rectification item from pages loaded at the same version: the first save
is kept, the later one is refused with a message and its text is handed back, nothing is lost.

The threaded test needs PostgreSQL (real parallel connections, row locks); the page test runs
everywhere.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rectification import services
from rectification.models import RectificationItem
from tests.rectification.test_postgres import run_together


def edit(rect, item, version, problem):
    return lambda: services.item_update(
        actor=rect.user("office"), item=item, version=version, problem=problem
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_one_item_keep_the_first_and_refuse_the_stale_one(rect, world):
    item = rect.item(problem="原来的问题表述")
    version = item.version
    histories = item.history.count()
    outcomes = run_together(
        edit(rect, item, version, "第一位的修改"),
        edit(rect, item, version, "第二位的修改"),
        edit(rect, item, version, "第三位的修改"),
    )
    saved = [o for o in outcomes if isinstance(o, RectificationItem)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(saved) == 1 and len(refused) == 2
    assert all(isinstance(e, ValidationError) and "已被他人修改" in str(e) for e in refused)
    item.refresh_from_db()
    assert item.problem == saved[0].problem and item.version == version + 1
    assert item.history.count() == histories + 1  # one change, fully recorded


@pytest.mark.django_db
def test_a_stale_edit_page_is_refused_with_a_message_and_keeps_what_was_typed(rect, world, client):
    item = rect.item(problem="原来的问题表述")
    stale = item.version
    services.item_update(actor=rect.user("office"), item=item, version=stale, problem="先保存的修改")
    client.force_login(rect.user("office"))
    form = {
        "version": stale,
        "problem": "后保存的修改<script>alert(1)</script>",
        "measure": item.measure,
        "target": item.target,
        "responsible_unit": item.responsible_unit,
        "handling": item.handling,
        "deadline": item.deadline.isoformat(),
        "priority": item.priority,
        "explanation": "",
    }
    response = client.post(f"/rectification/items/{item.pk}/edit/", form)
    page = response.content.decode()
    assert response.status_code == 200 and "已被他人修改" in page
    assert "后保存的修改&lt;script&gt;alert(1)&lt;/script&gt;" in page  # handed back, escaped
    item.refresh_from_db()
    assert item.problem == "先保存的修改"
