"""Rectification fixtures on top of the shared world.

Adds a city office (``city_office``, above both counties), a member of the city's
活动办联络组 (``liaison``), and the campaign clock at 2014-06-20. ``rect.item(...)``
opens an item through the service with sensible defaults; ``rect.submit(plan)`` and
``rect.act(plan, role, action)`` run a plan through its review chain (materials.review).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps

from materials import review as engine
from materials.selectors import open_step_for
from materials.standard_chains import install as install_material_chains
from rectification import services
from rectification.choices import Handling, ListKind
from rectification.models import RectificationItem, RectificationPlan
from rectification.review_chains import install as install_plan_chains
from tests.factories import PersonFactory, login_as, make_org, seat
from units.choices import OrgKind, Rank

TODAY = datetime.date(2014, 6, 20)


@dataclass
class Rect:
    world: Any

    def user(self, role: str) -> Any:
        return self.world.user(role)

    def item(self, unit: Any = None, actor: str = "office", **fields: Any) -> RectificationItem:
        values = {
            "problem": "会议多、文件多",
            "measure": "精简会议文件",
            "target": "会议减少三分之一",
            "responsible_unit": "县委办公室",
            "handling": Handling.BY_DEADLINE,
            "deadline": TODAY + datetime.timedelta(days=30),
        }
        values.update(fields)
        if "plan" not in values:
            values["unit"] = unit or self.world.county_a
        return services.item_create(actor=self.user(actor), **values)

    def plan(
        self, unit: Any = None, actor: str = "office", kind: str = ListKind.TEAM, **fields: Any
    ) -> RectificationPlan:
        return services.plan_create(
            actor=self.user(actor),
            unit=unit or self.world.county_a,
            kind=kind,
            title=fields.pop("title", "整改方案"),
            **fields,
        )

    def submit(self, plan: RectificationPlan, actor: str = "principal") -> RectificationPlan:
        plan.refresh_from_db()
        services.plan_submit(actor=self.user(actor), plan=plan, version=plan.version)
        plan.refresh_from_db()
        return plan

    def act(
        self, plan: RectificationPlan, role: str, action: str = "pass", opinion: str = "同意。"
    ) -> RectificationPlan:
        """The user of ``role`` decides on the step of ``plan`` open for him (fails if none is)."""
        plan.refresh_from_db()
        user = self.user(role)
        step = open_step_for(user, plan.review)
        assert step is not None, f"no step of {plan} is open for {role}"
        engine.review_step_act(
            actor=user,
            step=step,
            decision=engine.Decision(action, opinion),
            review_version=plan.review.version,
        )
        plan.refresh_from_db()
        return plan

    def report(self, item: RectificationItem, actor: str = "office", text: str = "已完成") -> None:
        services.item_report_progress(actor=self.user(actor), item=item, text=text)

    def closed(
        self, item: RectificationItem, owner: str = "office", signer: str = "supervisor"
    ) -> RectificationItem:
        self.report(item, owner)
        item.refresh_from_db()
        services.item_request_close(actor=self.user(owner), item=item, version=item.version)
        item.refresh_from_db()
        services.item_sign_off(actor=self.user(signer), item=item, version=item.version)
        item.refresh_from_db()
        return item


@pytest.fixture(autouse=True)
def review_chains(db: Any) -> None:
    """The data migrations install the chains; transactional tests flush tables, so make sure."""
    install_material_chains(apps)
    install_plan_chains(apps)


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    """Evidence and exports written by the tests go to a throwaway folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def rect(world: Any, settings: Any) -> Rect:
    settings.CAMPAIGN_CLOCK_DATE = TODAY
    city_office = make_org(world.campaign, world.city, OrgKind.OFFICE)
    staff = PersonFactory(name="市委活动办干事")
    seat(city_office, staff)
    world.users["city_office"] = login_as(staff, "city_office")
    liaison = make_org(world.campaign, world.city, OrgKind.LIAISON_GROUP, "测试市委活动办联络组")
    liaison_person = PersonFactory(name="联络组成员")
    seat(liaison, liaison_person)
    world.users["liaison"] = login_as(liaison_person, "liaison")
    # The county secretary is 正处级: the county's 班子 plan takes the 督导组 → 联络组 review.
    secretary = world.user("principal").person
    secretary.rank = Rank.DIVISION
    secretary.save()
    return Rect(world)
