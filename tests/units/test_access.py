"""The scope of each role, derived from posts and organisations, in one query."""

import datetime

import pytest

from tests.factories import make_post, root_admin
from units import services
from units.access import scope_for
from units.choices import Role
from units.models import Unit
from units.selectors import people_visible_to, units_visible_to

pytestmark = pytest.mark.django_db


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_office_reaches_its_subtree_only(world):
    visible = names(units_visible_to(world.user("office")))
    assert {"甲县", "甲县人民政府", "甲县教育局", "甲镇", "甲村"} == visible


def test_supervisor_reaches_the_units_his_group_was_sent_to(world):
    scope = scope_for(world.user("supervisor"))
    assert [g.role for g in scope.grants] == [Role.SUPERVISOR]
    assert names(units_visible_to(world.user("supervisor"))) == {
        "甲县",
        "甲县人民政府",
        "甲县教育局",
        "甲镇",
        "甲村",
    }


def test_principal_reads_his_subtree_member_only_his_unit(world):
    assert "甲村" in names(units_visible_to(world.user("principal")))
    assert names(units_visible_to(world.user("member"))) == {"甲县"}
    assert names(units_visible_to(world.user("village"))) == {"甲村"}


def test_outsider_and_anonymous_see_nothing(world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not units_visible_to(world.user("outsider")).exists()
    assert not units_visible_to(AnonymousUser()).exists()
    assert not people_visible_to(AnonymousUser()).exists()


def test_superuser_sees_everything(world):
    assert units_visible_to(world.user("superuser")).count() == Unit.objects.count()


def test_scope_is_one_query_and_memoised(world, django_assert_num_queries):
    user = type(world.user("principal")).objects.get(username="principal")
    with django_assert_num_queries(1):
        scope = scope_for(user)
        scope_for(user)
    assert scope.person_id is not None
    assert {g.role for g in scope.grants} == {Role.PRINCIPAL}


def test_unit_list_is_one_query_after_the_scope_whatever_its_size(world, django_assert_num_queries):
    user = world.user("office")
    scope_for(user)
    with django_assert_num_queries(1):
        small = list(units_visible_to(user))
    for i in range(40):
        services.unit_create(
            actor=root_admin(), parent=world.town_a, name=f"新村{i}", code=f"N{i:04d}", kind="village"
        )
    with django_assert_num_queries(1):
        large = list(units_visible_to(user))
    assert len(large) == len(small) + 40


def test_ended_post_gives_no_access(world):
    past = make_post(
        world.county_b, title="原县委常委", start=datetime.date(2010, 1, 1), end=datetime.date(2012, 1, 1)
    )
    from tests.factories import login_as

    user = login_as(past.person, "retired")
    assert not units_visible_to(user).exists()


def test_can_manage_needs_office_role(world):
    path = world.town_a.path
    assert scope_for(world.user("office")).can_manage(path)
    for role in ("supervisor", "principal", "member", "office_b", "outsider"):
        assert not scope_for(world.user(role)).can_manage(path), role


def test_people_outside_the_scope_are_hidden(world):
    visible = names(people_visible_to(world.user("office")))
    assert "甲县干事" in visible
    assert "乙县干事" not in visible
    # A person sees his own record even without reach over others (guardian grant).
    assert names(people_visible_to(world.user("outsider"))) == set()
    assert "督导员" in names(people_visible_to(world.user("supervisor")))


def test_an_ended_assignment_grants_nothing_beside_a_current_one(world, settings):
    """Each assignment is judged by its own dates, however many the group has."""
    from units.models import SupervisionAssignment

    first = SupervisionAssignment.objects.get(unit=world.county_a)
    services.supervision_end(actor=root_admin(), assignment=first, end_date=datetime.date(2014, 3, 31))
    services.supervision_assign(
        actor=root_admin(), group=first.group, unit=world.county_b, start_date=datetime.date(2014, 4, 10)
    )
    supervisor = type(world.user("supervisor")).objects.get(username="supervisor")

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 4, 5)  # between the two: the group is sent nowhere
    assert not units_visible_to(supervisor).exists()

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 5, 1)
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)
    assert names(units_visible_to(supervisor)) == {"乙县", "乙镇", "乙村"}

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 3, 1)
    supervisor = type(supervisor).objects.get(pk=supervisor.pk)
    assert "甲县" in names(units_visible_to(supervisor))
    assert "乙县" not in names(units_visible_to(supervisor))
