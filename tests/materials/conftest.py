"""Fixtures for materials: the demo province (units, people, groups) and accounts for reviewers."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps

from materials.meeting_chains import install as install_meeting_chains
from materials.standard_chains import install
from tests.factories import UserFactory, rolled_back_after, root_admin
from units import demo
from units import services as unit_services
from units.models import Person


@pytest.fixture(autouse=True)
def standard_chains(db: Any) -> None:
    """The data migration installs them; transactional tests flush tables, so make sure."""
    install(apps)
    install_meeting_chains(apps)


@pytest.fixture(scope="module")
def _province_once(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo province built once per test module inside a transaction that is rolled back
    at the end; each test's own transaction nests inside it and rolls back to this state."""
    import datetime

    from django.test.utils import override_settings

    with rolled_back_after(django_db_blocker):
        with override_settings(CAMPAIGN_CLOCK_DATE=datetime.date(2014, 6, 10)):
            install(apps)
            install_meeting_chains(apps)
            context = demo.seed(root_admin())
        yield context


@pytest.fixture
def province(_province_once: Any, db: Any, settings: Any) -> demo.DemoContext:
    import datetime

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 10)
    return _province_once


def account(code: str) -> Any:
    """The login of the demo person with this code (created on first use)."""
    person = Person.objects.get(code=code)
    if person.user_id is None:
        user = UserFactory(username=f"u-{code.lower()}", first_name=person.name)
        unit_services.person_link_user(actor=root_admin(), person=person, user=user)
        person.refresh_from_db()
    return person.user


def members_of(org_name: str) -> list[Person]:
    return list(
        Person.objects.filter(memberships__organization__name=org_name).order_by("memberships__role", "name")
    )
