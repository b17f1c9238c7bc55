"""Rules on units, posts and organisations, enforced by the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import PersonFactory, make_org, make_post, root_admin
from units import services
from units.choices import Level, OrgKind, PostRole, UnitCategory, UnitKind
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("parent_code", "kind", "level", "category"),
    [
        ("C01", UnitKind.COUNTY, Level.COUNTY, UnitCategory.TERRITORIAL),
        ("C01", UnitKind.PEOPLES_CONGRESS, Level.CITY, UnitCategory.FOUR_BODIES),
        ("C01", UnitKind.DEPARTMENT, Level.CITY, UnitCategory.DIRECT),
        ("A00-JYJ", UnitKind.SCHOOL, Level.COUNTY, UnitCategory.SUBORDINATE),
        ("A01", UnitKind.COMMUNITY, Level.VILLAGE, UnitCategory.TERRITORIAL),
        ("A01", UnitKind.NON_PUBLIC, Level.TOWNSHIP, UnitCategory.DIRECT),
    ],
)
def test_placement_gives_level_and_category(world, parent_code, kind, level, category):
    parent = Unit.objects.get(code=parent_code)
    unit = services.unit_create(actor=root_admin(), parent=parent, name="新单位", code="NEW1", kind=kind)
    assert (unit.level, unit.category) == (level, category)
    assert unit.path.startswith(parent.path) and unit.depth == parent.depth + 1


@pytest.mark.parametrize(
    ("parent_code", "kind", "message"),
    [
        ("C01", UnitKind.TOWNSHIP, "“乡镇/街道”的上级必须是“县(市、区)”"),
        ("A01", UnitKind.GOVERNMENT, "只能设在省、市、县(市、区)之下"),
        ("A01001", UnitKind.SCHOOL, "之下不能设"),
        ("A00-ZF", UnitKind.DEPARTMENT, "之下不能再设下级单位"),
    ],
)
def test_placement_refuses_wrong_parents_in_chinese(world, parent_code, kind, message):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=root_admin(), parent=Unit.objects.get(code=parent_code), name="x", code="X1", kind=kind
        )
    assert message in exc.value.messages[0]


def test_only_the_office_of_an_ancestor_may_add_units(world):
    services.unit_create(
        actor=world.user("office"), parent=world.town_a, name="新村", code="NV1", kind=UnitKind.VILLAGE
    )
    for role in ("office_b", "principal", "supervisor", "member"):
        with pytest.raises(PermissionDenied):
            services.unit_create(
                actor=world.user(role), parent=world.town_a, name="新村", code=f"NV-{role}", kind="village"
            )


def test_duplicate_code_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=root_admin(), parent=world.town_a, name="重复", code="A01001", kind="village"
        )
    assert "单位编码" in str(exc.value)


def test_stale_version_is_refused(world):
    unit = world.town_a
    services.unit_update(
        actor=world.user("office"), unit=unit, version=unit.version, name="甲镇（新）", code=unit.code
    )
    with pytest.raises(ValidationError) as exc:
        services.unit_update(
            actor=world.user("office"), unit=unit, version=unit.version, name="甲镇（旧页面）", code=unit.code
        )
    assert "已被他人修改" in exc.value.messages[0]
    unit.refresh_from_db()
    assert unit.name == "甲镇（新）" and unit.version == 2


def test_one_principal_at_a_time(world):
    with pytest.raises(ValidationError) as exc:
        make_post(world.county_a, role=PostRole.PRINCIPAL, title="县委书记", start=datetime.date(2014, 3, 1))
    assert "已有主要负责同志" in exc.value.messages[0]
    current = world.county_a.posts.get(role=PostRole.PRINCIPAL)
    services.post_end(actor=world.user("office"), post=current, end_date=datetime.date(2014, 2, 28))
    successor = make_post(
        world.county_a, role=PostRole.PRINCIPAL, title="县委书记", start=datetime.date(2014, 3, 1)
    )
    assert successor.pk


def test_government_head_only_in_territorial_units(world):
    with pytest.raises(ValidationError):
        make_post(world.county_a_dept, role=PostRole.GOVERNMENT_HEAD, title="局长")


def test_oversees_must_stay_in_the_area(world):
    with pytest.raises(ValidationError) as exc:
        make_post(world.county_a, title="县委常委", oversees=[world.town_b])
    assert "不在" in exc.value.messages[0]


def test_post_end_keeps_the_record(world):
    post = world.county_a.posts.get(title="县委常委")
    services.post_end(actor=world.user("office"), post=post, end_date=datetime.date(2014, 6, 30))
    post.refresh_from_db()
    assert post.end_date == datetime.date(2014, 6, 30)
    assert post.history.count() == 3  # created, 分管 set, ended


def test_supervision_group_goes_down_only(world):
    group = make_org(world.campaign, world.county_b, OrgKind.SUPERVISION_GROUP, "乙县督导组")
    with pytest.raises(ValidationError):
        services.supervision_assign(
            actor=root_admin(), group=group, unit=world.county_a, start_date=datetime.date(2014, 3, 1)
        )
    office = world.county_b.organizations.get(kind=OrgKind.OFFICE)
    with pytest.raises(ValidationError):
        services.supervision_assign(
            actor=root_admin(), group=office, unit=world.town_b, start_date=datetime.date(2014, 3, 1)
        )
    services.supervision_assign(
        actor=world.user("office_b"), group=group, unit=world.town_b, start_date=datetime.date(2014, 3, 1)
    )


def test_contact_point_within_the_leaders_area(world):
    leader = world.county_a.posts.get(role=PostRole.PRINCIPAL).person
    services.contact_point_add(
        actor=world.user("office"), campaign=world.campaign, person=leader, unit=world.town_a
    )
    with pytest.raises(ValidationError):
        services.contact_point_add(
            actor=root_admin(), campaign=world.campaign, person=leader, unit=world.town_b
        )


def test_person_link_grants_his_own_record(world):
    person = PersonFactory(name="新同志")
    from tests.factories import login_as
    from units.selectors import people_visible_to

    user = login_as(person, "newcomer")
    assert list(people_visible_to(user)) == [person]
    assert user.has_perm("units.change_person", person)
    assert not user.has_perm("units.change_person")  # accept_global_perms stays off


def test_registering_people_needs_an_office(world):
    services.person_create(actor=world.user("office"), name="新人", code="NEWP")
    with pytest.raises(PermissionDenied):
        services.person_create(actor=world.user("member"), name="新人", code="NEWP2")
