"""拟批评意见: listed item by item, checked by the 督导组, audited by the 活动办, weak items sent back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from materials.choices import ReviewStatus, StepState
from materials.meeting_choices import CriticismListStatus, WeakReason
from materials.meeting_models import CriticismList
from materials.models import ReviewAction, ReviewStep
from materials.talk_selectors import criticism_lists_approved
from materials.talk_services import (
    ItemInput,
    WeakItem,
    criticism_list_decide,
    criticism_list_save,
    criticism_list_start,
    criticism_list_submit,
)
from tests.factories import PersonFactory
from tests.materials.stage2 import DAY, city_office

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


@pytest.fixture
def written(world):
    city_office(world)
    member = world.user("member")
    found = criticism_list_start(actor=member, campaign=world.campaign, unit=world.county_a)
    return criticism_list_save(
        actor=member,
        criticism_list=found,
        items=[
            ItemInput(None, world.user("principal").person, "书记工作很辛苦，要注意身体。"),
            ItemInput(None, None, "班子执行民主集中制不够严格，个别议题会前酝酿不充分。"),
        ],
        version=found.version,
    )


def open_step(found):
    found.refresh_from_db()
    return ReviewStep.objects.get(review=found.review, round=found.review.round, state=StepState.OPEN)


def test_checked_by_the_group_sent_back_as_weak_then_audited_by_the_office(world, written):
    member, supervisor = world.user("member"), world.user("supervisor")
    found = criticism_list_submit(actor=member, criticism_list=written, version=written.version)
    assert found.status == CriticismListStatus.IN_REVIEW
    step = open_step(found)
    assert step.name == "市委督导组梳理把关" and step.reviewers.get().user == supervisor
    items = list(found.items.order_by("order"))
    # Flagging items is a return; a pass with flags is refused.
    with pytest.raises(ValidationError, match="退回修改"):
        criticism_list_decide(
            actor=supervisor,
            criticism_list=found,
            step=step,
            action="pass",
            opinion="同意",
            weak=[WeakItem(items[0].pk, WeakReason.NICE_GUY)],
            review_version=found.review.version,
        )
    criticism_list_decide(
        actor=supervisor,
        criticism_list=found,
        step=step,
        action="return_revise",
        opinion="没有辣味，请重新谈心谈话。",
        weak=[WeakItem(items[0].pk, WeakReason.NICE_GUY, "是在表扬")],
        review_version=found.review.version,
    )
    found.refresh_from_db()
    items[0].refresh_from_db()
    assert found.status == CriticismListStatus.RETURNED
    assert items[0].weak_reason == WeakReason.NICE_GUY and items[0].weak_note == "是在表扬"
    opinion = ReviewAction.objects.get(review=found.review, kind="return_revise").opinion
    assert "第1条：当“老好人”（是在表扬）" in opinion

    found = criticism_list_save(
        actor=member,
        criticism_list=found,
        items=[
            ItemInput(
                items[0].pk, world.user("principal").person, "书记抓大事多、抓细节少，督促乡镇整改不够有力。"
            ),
            ItemInput(items[1].pk, None, items[1].content),
        ],
        version=found.version,
    )
    found = criticism_list_submit(actor=member, criticism_list=found, version=found.version)
    items[0].refresh_from_db()
    assert items[0].weak_reason == "" and "督促乡镇" in items[0].content
    criticism_list_decide(
        actor=supervisor,
        criticism_list=found,
        step=open_step(found),
        action="pass",
        opinion="同意报市委活动办。",
        weak=[],
        review_version=found.review.version,
    )
    assert criticism_lists_approved([world.county_a]) == {world.county_a.pk: False}
    step = open_step(found)
    assert step.name == "市委活动办审核"
    criticism_list_decide(
        actor=step.reviewers.get().user,
        criticism_list=found,
        step=step,
        action="pass",
        opinion="同意。",
        weak=[],
        review_version=found.review.version,
    )
    found.refresh_from_db()
    assert found.status == CriticismListStatus.APPROVED and found.review.status == ReviewStatus.APPROVED
    assert not found.editable


def test_only_the_member_writes_his_list_about_colleagues(world, written):
    with pytest.raises(PermissionDenied):
        criticism_list_save(
            actor=world.user("principal"), criticism_list=written, items=[], version=written.version
        )
    with pytest.raises(ValidationError, match="不是本班子的其他成员"):
        criticism_list_save(
            actor=world.user("member"),
            criticism_list=written,
            items=[ItemInput(None, PersonFactory(), "意见")],
            version=written.version,
        )
    with pytest.raises(ValidationError, match="已被他人修改"):
        criticism_list_save(
            actor=world.user("member"), criticism_list=written, items=[], version=written.version - 1
        )
    with pytest.raises(PermissionDenied):
        criticism_list_start(actor=world.user("office"), campaign=world.campaign, unit=world.county_a)
    emptied = criticism_list_save(
        actor=world.user("member"),
        criticism_list=written,
        items=[ItemInput(i.pk, i.target, i.content, delete=True) for i in written.items.all()],
        version=written.version,
    )
    assert written.items.count() == 2 and not written.items.filter(is_active=True).exists()  # kept, inactive
    with pytest.raises(ValidationError, match="至少列出一条"):
        criticism_list_submit(actor=world.user("member"), criticism_list=emptied, version=emptied.version)


ROLES = ["office", "office_b", "supervisor", "principal", "member", "village", "outsider", "anonymous"]


@pytest.mark.parametrize("role", ROLES)
def test_list_pages_per_role(world, written, as_user, role):
    client = as_user(role)
    see_list = {"office", "supervisor", "principal", "member"}
    for url in (f"/criticisms/{written.pk}/", f"/criticisms/{written.pk}/history/"):
        expected = 302 if role == "anonymous" else 200 if role in see_list else 404
        assert client.get(url).status_code == expected, (url, role)
    unit_page = client.get(f"/criticisms/unit/{world.county_a.code}/").status_code
    assert unit_page == (302 if role == "anonymous" else 200 if role in see_list else 404)
    edit = client.get(f"/criticisms/{written.pk}/edit/").status_code
    assert edit == {"anonymous": 302, "member": 200}.get(role, 403 if role in see_list else 404)


def test_reviewer_sends_weak_items_back_from_the_page(world, written, client):
    found = criticism_list_submit(actor=world.user("member"), criticism_list=written, version=written.version)
    step = open_step(found)
    first = found.items.order_by("order").first()
    client.force_login(world.user("supervisor"))
    page = client.get(f"/criticisms/{found.pk}/").content.decode()
    assert "请您办理：市委督导组梳理把关" in page and f"weak_{first.pk}" in page
    client.post(
        f"/criticisms/{found.pk}/steps/{step.pk}/act/",
        {
            "action": "return_revise",
            "opinion": "请重新谈。",
            "review_version": found.review.version,
            f"weak_{first.pk}": WeakReason.NO_BITE,
        },
    )
    found.refresh_from_db()
    first.refresh_from_db()
    assert found.status == CriticismListStatus.RETURNED and first.weak_reason == WeakReason.NO_BITE
    client.force_login(world.user("member"))
    edit = client.get(f"/criticisms/{found.pk}/edit/").content.decode()
    assert "以下条目被退回" in edit and "没有辣味" in edit


def test_member_writes_and_submits_from_the_page(world, client):
    city_office(world)
    client.force_login(world.user("member"))
    response = client.post(f"/criticisms/unit/{world.county_a.code}/")
    found = CriticismList.objects.get()
    assert response["Location"] == f"/criticisms/{found.pk}/edit/"
    principal = world.user("principal").person
    data = {
        "version": found.version,
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MAX_NUM_FORMS": "60",
        "items-0-target": str(principal.pk),
        "items-0-content": "书记下基层调研少。",
        "items-1-target": "",
        "items-1-content": "",
        "submit": "1",
    }
    assert client.post(f"/criticisms/{found.pk}/edit/", data).status_code == 302
    found.refresh_from_db()
    assert found.status == CriticismListStatus.IN_REVIEW
    assert list(found.items.values_list("target", "content")) == [(principal.pk, "书记下基层调研少。")]


def test_api_round_trip(world, client):
    city_office(world)
    client.force_login(world.user("member"))
    created = client.post(
        "/api/criticism-lists/", {"unit": world.county_a.code}, content_type="application/json"
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    saved = client.put(
        f"/api/criticism-lists/{pk}/items/",
        {"version": created.json()["version"], "items": [{"target": None, "content": "对班子：会议偏多。"}]},
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["items"][0]["content"] == "对班子：会议偏多。"
    submitted = client.post(
        f"/api/criticism-lists/{pk}/submit/",
        {"version": saved.json()["version"]},
        content_type="application/json",
    )
    assert submitted.json()["status"] == "in_review"
    client.force_login(world.user("supervisor"))
    inbox = client.get("/api/review-steps/").json()["results"]
    row = next(r for r in inbox if r["subject_kind"] == "criticism_list")
    assert row["subject_url"] == f"/criticisms/{pk}/"
    item = submitted.json()["items"][0]["id"]
    acted = client.post(
        f"/api/criticism-lists/{pk}/act/",
        {
            "step": row["step_id"],
            "action": "return_revise",
            "opinion": "不动真格。",
            "review_version": row["review_version"],
            "weak": [{"item": item, "reason": "no_edge"}],
        },
        content_type="application/json",
    )
    assert acted.status_code == 200, acted.content
    assert acted.json()["status"] == "returned" and acted.json()["items"][0]["weak_reason"] == "no_edge"
    client.force_login(world.user("office_b"))
    assert client.get(f"/api/criticism-lists/{pk}/").status_code == 404
