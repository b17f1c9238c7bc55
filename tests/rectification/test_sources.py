"""The "四个回应": which sources no item answers yet, as items are linked, unlinked, withdrawn."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rectification import selectors, services, source_registry
from rectification.choices import ItemAction, PointedBy, SourceKind
from rectification.models import ItemSource, PointedProblem
from rectification.sources import PointedProblemProvider
from tests.factories import make_unit
from units.choices import UnitKind

pytestmark = pytest.mark.django_db
POINTED = SourceKind.POINTED_PROBLEM


def pointed(rect, unit, text, actor="supervisor"):
    return services.pointed_problem_create(
        actor=rect.user(actor),
        unit=unit,
        text=text,
        pointed_by=PointedBy.SUPERVISION_GROUP,
        pointed_by_name="市委督导组",
    )


def unanswered_ids(unit):
    groups = {g.kind: g for g in selectors.unanswered_sources(unit)}
    return {s.id for s in groups[POINTED].sources}


def test_unanswered_list_follows_links_and_unlinks(rect, world):
    county = world.county_a
    first, second = pointed(rect, county, "问题一"), pointed(rect, county, "问题二")
    elsewhere = pointed(rect, world.county_b, "乙县的问题", actor="city_office")
    assert selectors.unanswered_source_counts([county, world.county_b]) == {
        county.pk: {POINTED: 2},
        world.county_b.pk: {POINTED: 1},
    }
    assert unanswered_ids(county) == {first.pk, second.pk}

    item = rect.item(sources=[(POINTED, first.pk)])
    assert item.source_count == 1
    assert unanswered_ids(county) == {second.pk}
    assert selectors.unanswered_source_counts([county]) == {county.pk: {POINTED: 1}}

    services.item_link_source(actor=rect.user("office"), item=item, kind=POINTED, source_id=second.pk)
    assert unanswered_ids(county) == set()
    assert selectors.unanswered_source_counts([county]) == {}

    link = ItemSource.objects.get(item=item, source_id=first.pk)
    services.item_unlink_source(actor=rect.user("principal"), link=link)
    assert unanswered_ids(county) == {first.pk}
    item.refresh_from_db()
    assert item.source_count == 1
    actions = list(item.events.values_list("action", flat=True))
    assert actions.count(ItemAction.LINK_SOURCE) == 2 and ItemAction.UNLINK_SOURCE in actions
    # The unlinked row is gone from the table but kept in its history.
    assert ItemSource.history.filter(source_id=first.pk, history_type="-").exists()

    # A withdrawn item answers nothing any more.
    item.refresh_from_db()
    services.item_withdraw(actor=rect.user("office"), item=item, version=item.version, reason="重复立项")
    assert unanswered_ids(county) == {first.pk, second.pk}
    # Other counties are never mixed in.
    assert selectors.unanswered_source_counts([world.county_b]) == {world.county_b.pk: {POINTED: 1}}
    assert elsewhere.pk not in unanswered_ids(county)


def test_two_items_may_answer_one_source_and_both_must_go(rect, world):
    problem = pointed(rect, world.county_a, "共同问题")
    one = rect.item(sources=[(POINTED, problem.pk)])
    two = rect.item(sources=[(POINTED, problem.pk)])
    services.item_unlink_source(actor=rect.user("office"), link=one.sources.get())
    assert unanswered_ids(world.county_a) == set()
    services.item_unlink_source(actor=rect.user("office"), link=two.sources.get())
    assert unanswered_ids(world.county_a) == {problem.pk}


@pytest.fixture
def only_pointed():
    """These tests are about the registry itself: run them with its own provider only."""
    with source_registry.exclusively(source_registry.provider_for(POINTED)):
        yield


def test_links_are_checked(rect, world, only_pointed):
    mine = pointed(rect, world.county_a, "本县问题")
    theirs = pointed(rect, world.county_b, "乙县问题", actor="city_office")
    item = rect.item(sources=[(POINTED, mine.pk)])
    with pytest.raises(ValidationError, match="不属于"):
        services.item_link_source(actor=rect.user("office"), item=item, kind=POINTED, source_id=theirs.pk)
    with pytest.raises(ValidationError, match="已关联"):
        services.item_link_source(actor=rect.user("office"), item=item, kind=POINTED, source_id=mine.pk)
    with pytest.raises(ValidationError, match="尚未启用"):
        services.item_link_source(actor=rect.user("office"), item=item, kind=SourceKind.OPINION, source_id=1)
    with pytest.raises(ValidationError, match="不存在"):
        services.item_link_source(actor=rect.user("office"), item=item, kind=POINTED, source_id=999999)
    with pytest.raises(PermissionDenied):
        services.item_link_source(actor=rect.user("supervisor"), item=item, kind=POINTED, source_id=mine.pk)
    # Nothing was half-saved by the refusals.
    assert item.sources.count() == 1


def test_only_supervisors_and_offices_record_pointed_problems(rect, world):
    for role in ("principal", "member", "village", "outsider", "office_b"):
        with pytest.raises(PermissionDenied):
            pointed(rect, world.county_a, "越权登记", actor=role)
    assert not PointedProblem.objects.filter(text="越权登记").exists()
    problem = pointed(rect, world.county_a, "督导组点明")
    assert problem.recorded_by == rect.user("supervisor") and problem.pointed_by_name == "市委督导组"


class OpinionStub(PointedProblemProvider):
    """Stands in for the opinions app: rows of PointedProblem whose text starts with “意见”."""

    kind = SourceKind.OPINION

    def sources_for_units(self, units):
        return super().sources_for_units(units).filter(text__startswith="意见")


def test_any_registered_provider_is_counted(rect, world, django_assert_num_queries, only_pointed):
    county = world.county_a
    opinion = pointed(rect, county, "意见：办事难")
    with source_registry.overridden(OpinionStub()):
        assert set(source_registry.providers()) == {SourceKind.OPINION, POINTED}
        counts = selectors.unanswered_source_counts([county])
        assert counts == {county.pk: {SourceKind.OPINION: 1, POINTED: 1}}
        rect.item(sources=[(SourceKind.OPINION, opinion.pk)])
        assert selectors.unanswered_source_counts([county]) == {county.pk: {POINTED: 1}}
        # One query for all providers, however many units.
        units = [make_unit(world.town_a, UnitKind.VILLAGE) for _ in range(12)]
        for unit in units:
            pointed(rect, unit, "意见：村里的问题", actor="office")
        with django_assert_num_queries(1):
            counts = selectors.unanswered_source_counts([county, *units])
        assert all(counts[u.pk] == {SourceKind.OPINION: 1, POINTED: 1} for u in units)
    assert set(source_registry.providers()) == {POINTED}


def test_sources_page_lists_and_records(rect, world, as_user):
    pointed(rect, world.county_a, "窗口服务效率不高")
    client = as_user("supervisor")
    page = client.get(f"/rectification/units/{world.county_a.code}/sources/").content.decode()
    assert "窗口服务效率不高" in page and "上级和督导组点明的问题" in page
    response = client.post(
        f"/rectification/units/{world.county_a.code}/sources/",
        {
            "text": "会风不正",
            "pointed_by": "supervision_group",
            "pointed_by_name": "市委第一督导组",
            "pointed_on": "2014-06-19",
        },
    )
    assert response.status_code == 302
    assert PointedProblem.objects.filter(text="会风不正", unit=world.county_a).exists()
    # The county secretary sees the list but may not record problems pointed out to himself.
    client = as_user("principal")
    assert client.get(f"/rectification/units/{world.county_a.code}/sources/").status_code == 200
    response = client.post(
        f"/rectification/units/{world.county_a.code}/sources/",
        {
            "text": "自己登记",
            "pointed_by": "supervision_group",
            "pointed_by_name": "x",
            "pointed_on": "2014-06-19",
        },
    )
    assert response.status_code == 403


def test_an_item_can_be_opened_to_answer_a_source(rect, world, as_user):
    problem = pointed(rect, world.county_a, "窗口服务差")
    client = as_user("office")
    page = client.get(f"/rectification/units/{world.county_a.code}/sources/").content.decode()
    link = f"/rectification/units/{world.county_a.code}/items/add/?source=pointed_problem:{problem.pk}"
    assert link.replace("&", "&amp;") in page
    form = client.get(link).content.decode()
    assert f'value="pointed_problem:{problem.pk}"' in form
    response = client.post(
        link,
        {
            "kind": "team",
            "problem": "窗口服务差",
            "measure": "整顿窗口",
            "target": "群众满意",
            "responsible_unit": "县政务服务中心",
            "handling": "now",
            "deadline": "2014-06-30",
            "priority": "normal",
            "source": f"pointed_problem:{problem.pk}",
        },
    )
    assert response.status_code == 302
    assert unanswered_ids(world.county_a) == set()
