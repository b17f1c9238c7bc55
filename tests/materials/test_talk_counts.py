"""``talk_counts`` (dashboards, the ``talks_complete`` gate) agrees with ``talk_coverage`` (the 班子
pages) on every unit, however the talks and posts fall: the two derive the same "四必谈" rule,
one as numbers, one as objects."""

import datetime
import random

import pytest

from materials.meeting_choices import TalkStatus
from materials.meeting_models import Talk
from materials.talk_selectors import talk_counts, talk_coverage, talks_complete
from tests.factories import PersonFactory, make_org, make_post, root_admin
from tests.materials.stage2 import DAY, POINTS, complete_talks
from tests.materials.test_talks import make_body, oversee
from units import services as unit_services
from units.choices import OrgKind
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


def talk(world, unit, a, b, status, group=None):
    return Talk.objects.create(
        campaign=world.campaign,
        unit=unit,
        unit_path=unit.path,
        held_on=DAY,
        party_a=a,
        party_b=b,
        group=group,
        recorded_by=a,
        status=status,
        own_problems=POINTS.own_problems,
        other_problems=POINTS.other_problems,
        body_problems=POINTS.body_problems,
        meeting_points=POINTS.meeting_points,
    )


def assert_agree(units):
    coverage = talk_coverage(units)
    counts = talk_counts(units)
    assert set(counts) == set(coverage)
    for unit_id, found in coverage.items():
        assert (counts[unit_id].total, counts[unit_id].done) == (found.total, found.done), unit_id
        assert counts[unit_id].complete == found.complete


def test_counts_agree_with_coverage_on_random_talks(world):
    rng = random.Random(2014)
    stray_group = make_org(world.campaign, world.city, OrgKind.SUPERVISION_GROUP, "测试市委第九督导组")
    bodies = [
        make_body(world, f"K{i:02d}", size=size, with_group=i % 3 != 2) for i, size in enumerate([4, 5, 7, 9])
    ]
    # A member with two posts in his 班子; a department head who also sits in the 班子 (no pair
    # with the member who oversees him); a member who left yesterday (he owes nothing now).
    first = bodies[1]
    make_post(first["unit"], person=first["posts"][1].person, title="兼任")
    head_in_body = make_post(first["unit"], person=first["heads"][0], title="常委兼局长")
    oversee(head_in_body, first["departments"][1:2])
    unit_services.post_end(
        actor=root_admin(), post=first["posts"][4], end_date=DAY - datetime.timedelta(days=1)
    )
    units = [b["unit"] for b in bodies] + [world.county_a, world.village_a]

    strangers = [PersonFactory(name=f"外人{i}") for i in range(3)]
    for body in bodies:
        people = [p.person for p in body["posts"]] + body["heads"] + strangers
        group = body["group"]
        for _ in range(60):
            a, b = rng.sample(people, 2)
            status = rng.choice([TalkStatus.CONFIRMED, TalkStatus.RECORDED])
            talk(world, body["unit"], a, b, status)
        for person in rng.sample(people, 5):
            # The supervising group's talk counts; another group's does not.
            chosen = rng.choice([group, stray_group]) if group else stray_group
            talk(
                world,
                body["unit"],
                PersonFactory(name="督导员"),
                person,
                rng.choice(list(TalkStatus)),
                chosen,
            )
    assert_agree(units)
    # Filtered through a QuerySet holding more units than asked for (as the dashboards do): the same.
    assert talk_counts(units, among=Unit.objects.all()) == talk_counts(units)
    assert any(0 < talk_counts(units)[u.pk].done < talk_counts(units)[u.pk].total for u in units)


def test_counts_agree_when_complete_and_after_a_change(world):
    body = make_body(world)
    unit = body["unit"]
    complete_talks(world, unit)
    assert talk_counts([unit])[unit.pk].complete and talks_complete([unit]) == {unit.pk: True}
    assert_agree([unit])
    newcomer = make_post(unit, title="县委常委（新任）", start=DAY).person
    assert_agree([unit])
    counts = talk_counts([unit])[unit.pk]
    assert counts.total - counts.done == 7 + 1  # his pair with each of the seven, and the 督导组
    assert talks_complete([unit]) == {unit.pk: False}
    assert talk_coverage([unit])[unit.pk].find(newcomer.pk, None, group=True).state == "missing"


def test_counts_cost_five_queries_for_any_number_of_units(world, django_assert_num_queries):
    units = [make_body(world, f"K{i:02d}")["unit"] for i in range(4)] + [world.village_a]
    with django_assert_num_queries(5):
        counts = talk_counts(units[:1])
    with django_assert_num_queries(5):
        counts = talk_counts(units)
    assert world.village_a.pk not in counts and all(counts[u.pk].total == 31 for u in units[:-1])
    with django_assert_num_queries(0):
        assert talk_counts([world.village_a]) == {}
