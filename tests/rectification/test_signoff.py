"""销号: report → ask → sign off or send back; 复号 keeps the history; editing never gives sign-off."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.shortcuts import assign_perm

from rectification import rights, services
from rectification.choices import ItemAction, ItemStatus
from tests.rectification.conftest import TODAY

pytestmark = pytest.mark.django_db


def refresh(item):
    item.refresh_from_db()
    return item


def test_full_flow_with_send_back_and_reopen(rect, world):
    owner, signer = rect.user("principal"), rect.user("supervisor")
    item = rect.item(actor="principal")
    assert item.status == ItemStatus.OPEN and item.opened_on == TODAY

    with pytest.raises(ValidationError, match="请先报告整改进展"):
        services.item_request_close(actor=owner, item=item, version=item.version)

    services.item_report_progress(actor=owner, item=item, text="已精简会议5个")
    item = refresh(item)
    assert item.status == ItemStatus.IN_PROGRESS and item.last_progress == "已精简会议5个"

    services.item_request_close(actor=owner, item=refresh(item), version=item.version, note="完成")
    with pytest.raises(ValidationError, match="退回理由"):
        services.item_send_back(actor=signer, item=refresh(item), version=item.version, reason="  ")
    services.item_send_back(actor=signer, item=refresh(item), version=item.version, reason="缺少会议台账佐证")
    item = refresh(item)
    assert item.status == ItemStatus.IN_PROGRESS and item.close_requested_by is None

    services.item_report_progress(actor=owner, item=item, text="补充会议台账")
    services.item_request_close(actor=owner, item=refresh(item), version=item.version)
    services.item_sign_off(actor=signer, item=refresh(item), version=item.version, opinion="同意销号")
    item = refresh(item)
    assert item.status == ItemStatus.CLOSED and item.closed_on == TODAY

    # 复号 on a relapse: back to work, the history kept.
    with pytest.raises(PermissionDenied):
        services.item_reopen(actor=owner, item=item, version=item.version, reason="自己复号")
    services.item_reopen(actor=signer, item=item, version=item.version, reason="会议又多起来了")
    item = refresh(item)
    assert item.status == ItemStatus.IN_PROGRESS and item.reopen_count == 1 and item.closed_on is None
    trail = list(item.events.order_by("at", "pk").values_list("action", "from_status", "to_status", "reason"))
    assert [t[0] for t in trail] == [
        ItemAction.CREATE,
        ItemAction.REPORT,
        ItemAction.REQUEST_CLOSE,
        ItemAction.SEND_BACK,
        ItemAction.REPORT,
        ItemAction.REQUEST_CLOSE,
        ItemAction.SIGN_OFF,
        ItemAction.REOPEN,
    ]
    assert trail[3][1:] == (ItemStatus.CLOSE_REQUESTED, ItemStatus.IN_PROGRESS, "缺少会议台账佐证")
    assert trail[-1][1:] == (ItemStatus.CLOSED, ItemStatus.IN_PROGRESS, "会议又多起来了")
    # The record's own history has every version too.
    assert item.history.filter(status=ItemStatus.CLOSED).exists()


def test_editing_rights_do_not_give_sign_off(rect, world):
    item = rect.item(actor="office")
    rect.report(item, "office")
    services.item_request_close(actor=rect.user("principal"), item=refresh(item), version=item.version)
    item = refresh(item)
    # The county's own office, its 班子 and the requester edit but may not sign off.
    for role in ("office", "principal", "member"):
        assert rights.can_edit_item(rect.user(role), item), role
        assert not rights.can_sign_off_item(rect.user(role), item), role
        with pytest.raises(PermissionDenied, match="销号须由"):
            services.item_sign_off(actor=rect.user(role), item=item, version=item.version)
    # Outside the county nobody may.
    for role in ("office_b", "village", "outsider"):
        assert not rights.can_sign_off_item(rect.user(role), item), role
    # The 督导组 sent to the county and the city office may; neither may edit.
    for role in ("supervisor", "city_office"):
        assert rights.can_sign_off_item(rect.user(role), item), role
    assert not rights.can_edit_item(rect.user("supervisor"), item)
    assert refresh(item).status == ItemStatus.CLOSE_REQUESTED
    services.item_sign_off(actor=rect.user("city_office"), item=item, version=item.version)
    assert refresh(item).status == ItemStatus.CLOSED


def test_the_requester_never_signs_his_own_request(rect, world):
    """The city office may edit county items (office over the subtree) — but not sign off its own request."""
    item = rect.item(actor="city_office")
    rect.report(item, "city_office")
    services.item_request_close(actor=rect.user("city_office"), item=refresh(item), version=item.version)
    item = refresh(item)
    with pytest.raises(PermissionDenied):
        services.item_sign_off(actor=rect.user("city_office"), item=item, version=item.version)
    services.item_sign_off(actor=rect.user("supervisor"), item=item, version=item.version)


def test_village_items_are_signed_off_by_the_county_office(rect, world):
    item = rect.item(unit=world.village_a, actor="village", responsible_unit="村两委")
    rect.report(item, "village")
    services.item_request_close(actor=rect.user("village"), item=refresh(item), version=item.version)
    item = refresh(item)
    assert rights.can_sign_off_item(rect.user("office"), item)  # the county is above the village
    assert not rights.can_sign_off_item(rect.user("village"), item)
    assert not rights.can_sign_off_item(rect.user("principal"), item)  # reads the subtree, signs nothing
    services.item_sign_off(actor=rect.user("office"), item=item, version=item.version)


def test_sign_off_can_be_delegated_to_one_person_on_one_item(rect, world):
    item = rect.item()
    other = rect.item()
    for it in (item, other):
        rect.report(it)
        services.item_request_close(actor=rect.user("office"), item=refresh(it), version=it.version)
    outsider = rect.user("outsider")
    with pytest.raises(PermissionDenied):
        services.item_grant(
            actor=rect.user("principal"), item=item, user=outsider, codename="sign_off_rectificationitem"
        )
    services.item_grant(
        actor=rect.user("office"), item=item, user=outsider, codename="sign_off_rectificationitem"
    )
    assert rights.can_sign_off_item(outsider, refresh(item))
    assert not rights.can_sign_off_item(outsider, refresh(other))
    with pytest.raises(ValidationError, match="责任方"):
        services.item_grant(
            actor=rect.user("office"),
            item=item,
            user=rect.user("member"),
            codename="sign_off_rectificationitem",
        )
    # A global permission gives nothing: grants are per object only.
    assign_perm("rectification.sign_off_rectificationitem", rect.user("office_b"))
    assert not rights.can_sign_off_item(rect.user("office_b"), refresh(other))
    services.item_sign_off(actor=outsider, item=refresh(item), version=item.version)


def test_states_and_stale_versions_are_checked(rect, world):
    item = rect.item()
    signer = rect.user("supervisor")
    with pytest.raises(ValidationError, match="只有申请销号的事项才能销号"):
        services.item_sign_off(actor=signer, item=item, version=item.version)
    with pytest.raises(ValidationError, match="只有已销号的事项才能复号"):
        services.item_reopen(actor=signer, item=item, version=item.version, reason="x")
    old = item.version
    services.item_update(actor=rect.user("office"), item=item, version=old, measure="新措施")
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.item_update(actor=rect.user("principal"), item=item, version=old, measure="旧页面的措施")
    assert refresh(item).measure == "新措施"
    closed = rect.closed(rect.item())
    with pytest.raises(ValidationError, match="不能再修改"):
        services.item_update(actor=rect.user("office"), item=closed, version=closed.version, measure="改")


def test_a_low_public_rating_reopens_a_closed_item(rect, world):
    item = rect.closed(rect.item())
    assert services.item_reopen_on_rating(item=item, reason="群众满意率 52%，低于三分之二")
    item = refresh(item)
    assert item.status == ItemStatus.IN_PROGRESS and item.reopen_count == 1
    event = item.events.get(action=ItemAction.REOPEN)
    assert event.actor is None and event.actor_label == "群众评价" and "52%" in event.reason
    # Not closed (any more): nothing happens.
    assert services.item_reopen_on_rating(item=item, reason="again") is False
    assert refresh(item).reopen_count == 1


def test_not_yet_items_explain_instead_of_a_deadline(rect, world):
    with pytest.raises(ValidationError) as exc:
        rect.item(handling="not_yet", deadline=None, explanation="")
    assert "解释说明" in str(exc.value)
    item = rect.item(handling="not_yet", deadline=TODAY, explanation="需省里立项，已向群众说明")
    assert item.deadline is None
    with pytest.raises(ValidationError, match="必须填写完成时限"):
        rect.item(handling="deadline", deadline=None)
    with pytest.raises(ValidationError, match="不能早于今天"):
        rect.item(deadline=TODAY - datetime.timedelta(days=1))


def test_sign_off_pages_per_role(rect, world, as_user):
    item = rect.item()
    rect.report(item)
    services.item_request_close(actor=rect.user("office"), item=refresh(item), version=item.version)
    url = f"/rectification/items/{item.pk}/sign-off/"
    expected = {
        "supervisor": 200,
        "city_office": 200,
        "office": 403,
        "principal": 403,
        "member": 403,
        "office_b": 404,
        "village": 404,
        "outsider": 404,
        "anonymous": 302,
    }
    for role, status in expected.items():
        assert as_user(role).get(url).status_code == status, role
    client = as_user("principal")
    assert client.post(url, {"version": item.version}).status_code == 403
    assert refresh(item).status == ItemStatus.CLOSE_REQUESTED
    client = as_user("supervisor")
    response = client.post(url, {"version": item.version, "note": "核查属实"})
    assert response.status_code == 302 and refresh(item).status == ItemStatus.CLOSED
    # A second post from the same (now stale) page says why.
    reopened = client.post(f"/rectification/items/{item.pk}/reopen/", {"version": item.version, "reason": ""})
    assert "必填" in reopened.content.decode()


def test_worklist_shows_what_waits_for_me(rect, world, as_user):
    item = rect.item()
    rect.report(item)
    services.item_request_close(actor=rect.user("office"), item=refresh(item), version=item.version)
    assert item.number in as_user("supervisor").get("/rectification/").content.decode()
    assert item.number in as_user("city_office").get("/rectification/").content.decode()
    assert item.number not in as_user("office").get("/rectification/").content.decode()
    assert item.number not in as_user("office_b").get("/rectification/").content.decode()
