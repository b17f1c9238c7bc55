"""上下联动: 需要上级帮助解决 lands in the upper offices' lists; an upper department claims it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rectification import selectors, services
from rectification.choices import ItemAction, ParticipantRole
from tests.factories import make_unit
from units.choices import UnitKind

pytestmark = pytest.mark.django_db


def test_help_request_lands_in_the_upper_list_and_is_claimed(rect, world, as_user):
    item = rect.item(actor="principal", problem="饮水工程缺少资金")
    own = rect.item(actor="principal", problem="本县能解决的问题")
    assert not selectors.upper_help_items(rect.user("city_office"), world.city).exists()
    with pytest.raises(PermissionDenied):
        services.item_request_help(actor=rect.user("supervisor"), item=item, version=item.version, note="x")
    with pytest.raises(ValidationError, match="需要上级帮助解决的事项"):
        services.item_request_help(actor=rect.user("principal"), item=item, version=item.version, note=" ")
    services.item_request_help(
        actor=rect.user("principal"), item=item, version=item.version, note="需市级配套资金"
    )
    listed = list(selectors.upper_help_items(rect.user("city_office"), world.city))
    assert listed == [item]
    # The county's own list is of its subordinates' requests, not its own.
    assert not selectors.upper_help_items(rect.user("office"), world.county_a).exists()
    page = as_user("city_office").get(f"/rectification/units/{world.city.code}/upper-help/").content.decode()
    assert "饮水工程缺少资金" in page and "需市级配套资金" in page and "本县能解决的问题" not in page
    assert own.needs_upper_help is False

    # A city department claims it; its users then see the item.
    water = make_unit(world.city, UnitKind.DEPARTMENT, "测试市水利局", "C01-SLJ")
    with pytest.raises(ValidationError, match=r"不是.*的上级部门"):
        services.item_claim(actor=rect.user("office"), item=item, unit=world.county_a_dept)
    with pytest.raises(PermissionDenied):
        services.item_claim(actor=rect.user("office"), item=item, unit=water)
    services.item_claim(actor=rect.user("city_office"), item=item, unit=water)
    item.refresh_from_db()
    assert item.claimed_by == water
    assert item.participants.get().role == ParticipantRole.CLAIMED
    assert item.events.filter(action=ItemAction.CLAIM).exists()
    with pytest.raises(ValidationError, match="已由其他上级部门认领"):
        services.item_claim(
            actor=rect.user("city_office"), item=item, unit=make_unit(world.city, UnitKind.DEPARTMENT)
        )
    from tests.factories import PersonFactory, login_as, make_post

    head = PersonFactory(name="水利局长")
    make_post(water, person=head, role="principal", title="局长")
    login_as(head, "water_head")
    client = as_user("anonymous")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="water_head"))
    assert client.get(f"/rectification/items/{item.pk}/").status_code == 200
    assert client.get(f"/rectification/items/{own.pk}/").status_code == 404
    response = client.post(f"/rectification/items/{item.pk}/progress/", {"text": "已安排市级配套资金300万元"})
    assert response.status_code == 302


def test_claim_form_on_the_item_page(rect, world, as_user):
    item = rect.item(actor="principal")
    services.item_request_help(
        actor=rect.user("principal"), item=item, version=item.version, note="需要市里协调"
    )
    water = make_unit(world.city, UnitKind.DEPARTMENT, "测试市水利局", "C01-SLJ")
    assert "上级部门认领" not in as_user("office").get(f"/rectification/items/{item.pk}/").content.decode()
    client = as_user("city_office")
    assert "上级部门认领" in client.get(f"/rectification/items/{item.pk}/").content.decode()
    response = client.post(f"/rectification/items/{item.pk}/claim/", {"unit": "NOPE"}, follow=True)
    assert "没有编码为“NOPE”的单位" in response.content.decode()
    response = client.post(f"/rectification/items/{item.pk}/claim/", {"unit": water.code}, follow=True)
    assert "已由上级部门认领" in response.content.decode()
