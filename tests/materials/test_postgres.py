"""Concurrent reviewers on PostgreSQL, with real connections in real threads."""

import threading

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections

from materials import review as engine
from materials.choices import ActionKind, StepState
from materials.models import ReviewAction, ReviewStep
from materials.standard_chains import install
from tests.factories import root_admin
from tests.materials.conftest import account, members_of
from tests.materials.helpers import act, open_step, write_and_submit
from units import demo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_many_reviewers_acting_on_one_step_at_once_make_one_transition(settings):
    import datetime

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 10)
    install(apps)
    context = demo.seed(root_admin())
    account("P410922-SJ")
    group = [account(p.code) for p in members_of("濮阳市委第二督导组")]
    material = write_and_submit(context.campaign, "P410922-ZZB", "410922")
    act(material, ActionKind.PASS)  # 县委书记 → the 市委督导组 step opens for its three members
    step = open_step(material)
    version = step.review.version
    assert step.reviewers.count() == 3

    attempts = 24
    barrier = threading.Barrier(attempts)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(i: int) -> None:
        user = group[i % len(group)]
        action = ActionKind.RETURN_REVISE if i % 5 == 0 else ActionKind.PASS
        try:
            barrier.wait(timeout=20)
            engine.review_step_act(
                actor=user,
                step=ReviewStep.objects.get(pk=step.pk),
                decision=engine.Decision(action, f"意见{i}"),
                review_version=version,
            )
            result = "ok"
        except ValidationError as exc:
            result = " ".join(exc.messages)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert outcomes.count("ok") == 1, outcomes
    refused = [o for o in outcomes if o != "ok"]
    assert all("已由" in o or "已过期" in o for o in refused), refused
    step.refresh_from_db()
    assert step.state in (StepState.PASSED, StepState.RETURNED)
    assert ReviewAction.objects.filter(step=step).exclude(kind="unresolved").count() == 1
