"""Two offices advancing the same unit at the same moment: one move, one clear refusal."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from campaign import services
from campaign.choices import StageAction
from campaign.models import StageEvent, UnitStage
from tests.campaign.conftest import TODAY, add_city_office
from tests.conftest import build_world
from tests.factories import root_admin

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_offices_advancing_one_unit_at_once_advance_it_once(settings):
    settings.CAMPAIGN_CLOCK_DATE = TODAY
    world = build_world()
    services.campaign_open(actor=root_admin(), campaign=world.campaign, root=world.province)
    city_office = add_city_office(world)
    county_office = type(city_office).objects.get(username="office")
    state = UnitStage.objects.get(unit=world.town_a)
    services.unit_stage_advance(actor=county_office, unit_stage=state, from_position=0)

    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def advance(name, actor):
        try:
            barrier.wait(timeout=10)
            services.unit_stage_advance(actor=actor, unit_stage=state, from_position=1)
            outcomes[name] = "moved"
        except ValidationError as exc:
            outcomes[name] = exc
        except Exception as exc:  # pragma: no cover - reported below
            outcomes[name] = repr(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=advance, args=("city", city_office)),
        threading.Thread(target=advance, args=("county", county_office)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(str(o) == "moved" for o in outcomes.values()) == [False, True], outcomes
    [refusal] = [o for o in outcomes.values() if isinstance(o, ValidationError)]
    assert refusal.code == "stale" and "已由他人推进" in refusal.messages[0]
    assert "查摆问题、开展批评" in refusal.messages[0]
    state.refresh_from_db()
    assert state.stage == 2
    assert StageEvent.objects.filter(unit_stage=state, action=StageAction.ADVANCED).count() == 1
    assert state.history.count() == 3  # opened, started, advanced once


def test_two_offices_opening_the_same_subtree_at_once_open_each_unit_once():
    world = build_world()
    city_office = add_city_office(world)
    barrier = threading.Barrier(2)
    counts: list[object] = []

    def open_(actor, root):
        try:
            barrier.wait(timeout=10)
            counts.append(services.campaign_open(actor=actor, campaign=world.campaign, root=root))
        except Exception as exc:  # pragma: no cover - reported below
            counts.append(repr(exc))
        finally:
            connections.close_all()

    county_office = type(city_office).objects.get(username="office")
    threads = [
        threading.Thread(target=open_, args=(city_office, world.city)),
        threading.Thread(target=open_, args=(county_office, world.county_a)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(c, int) for c in counts), counts
    assert UnitStage.objects.count() == 10 - 1  # every unit of the world but the province
    assert sum(counts) == 9  # type: ignore[arg-type]
