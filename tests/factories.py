"""Factories for tests. Tree nodes and posts go through the services, like real data."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from campaign.models import Campaign
from units import services
from units.choices import OrgKind, OrgRole, PostRole, Rank
from units.models import Organization, Person, Post, Unit

_codes = itertools.count(1)
START = datetime.date(2013, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-test-12345")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    code = factory.Sequence(lambda n: f"T{n:06d}")
    rank = Rank.OTHER


def root_admin() -> Any:
    User = get_user_model()
    return User.objects.filter(username="root").first() or UserFactory(
        username="root", is_superuser=True, is_staff=True
    )


def make_unit(parent: Unit | None, kind: str, name: str | None = None, code: str | None = None) -> Unit:
    number = next(_codes)
    return services.unit_create(
        actor=root_admin(),
        parent=parent,
        name=name or f"单位{number}",
        code=code or f"U{number:06d}",
        kind=kind,
    )


def make_post(
    unit: Unit,
    person: Person | None = None,
    role: str = PostRole.MEMBER,
    title: str = "班子成员",
    start: datetime.date = START,
    end: datetime.date | None = None,
    oversees: list[Unit] | None = None,
) -> Post:
    return services.post_create(
        actor=root_admin(),
        person=person or PersonFactory(),
        unit=unit,
        title=title,
        role=role,
        start_date=start,
        end_date=end,
        oversees=oversees or [],
    )


def make_campaign(root: Unit) -> Campaign:
    campaign = Campaign.objects.filter(root_unit=root).first()
    return campaign or Campaign.objects.create(
        name="第二批教育实践活动",
        root_unit=root,
        start_date=datetime.date(2014, 1, 20),
        end_date=datetime.date(2014, 9, 30),
    )


def make_org(campaign: Campaign, unit: Unit, kind: str, name: str | None = None) -> Organization:
    return services.organization_create(
        actor=root_admin(),
        campaign=campaign,
        unit=unit,
        kind=kind,
        name=name or f"{unit.name}{OrgKind(kind).label}",
    )


def seat(org: Organization, person: Person, role: str = OrgRole.MEMBER, start: datetime.date = START) -> None:
    services.membership_add(actor=root_admin(), organization=org, person=person, role=role, start_date=start)


def login_as(person: Person, username: str) -> Any:
    user = UserFactory(username=username)
    services.person_link_user(actor=root_admin(), person=person, user=user)
    return user


@contextmanager
def rolled_back_after(django_db_blocker: Any) -> Iterator[None]:
    """For a module fixture's data: written inside a transaction that rolls back when the
    fixture ends, each test's own transaction nesting inside it. With the cheap password hasher
    tests/conftest.py gives each test, because module fixtures run before it."""
    md5 = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), md5:
        yield
        transaction.set_rollback(True)
