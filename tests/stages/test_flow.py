"""Sorting (confirm, merge, split, dissolve), claiming, answering and publishing opinion groups."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stages import selectors, services
from stages.choices import ClaimKind, GroupAction, GroupStatus, OpinionStatus
from stages.models import Opinion, OpinionGroup
from tests.factories import make_post, root_admin
from tests.stages.conftest import make_group, make_opinion
from units.choices import PostRole
from units.models import Post

pytestmark = pytest.mark.django_db


def proposal(world, texts=("公车私用接送孩子上学。", "领导开公车接送孩子上学。")):
    for text in texts:
        make_opinion(world.county_a, text)
    (group,) = services.opinion_grouping_run(actor=world.user("office"), unit=world.county_a)
    return group


def test_confirm_records_an_event_and_takes_the_offices_title(world):
    group = proposal(world)
    group = services.group_confirm(
        actor=world.user("office"), group=group, version=group.version, title="公车私用"
    )
    assert (group.status, group.title) == (GroupStatus.CONFIRMED, "公车私用")
    actions = list(group.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        (GroupAction.PROPOSE, "", GroupStatus.PROPOSED),
        (GroupAction.CONFIRM, GroupStatus.PROPOSED, GroupStatus.CONFIRMED),
    ]
    with pytest.raises(ValidationError, match="只有“建议归并”"):
        services.group_confirm(actor=world.user("office"), group=group)


def test_stale_confirm_is_refused(world):
    group = proposal(world)
    stale = group.version
    services.group_confirm(actor=world.user("office"), group=group, version=stale, title="一")
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.group_confirm(actor=world.user("office"), group=group, version=stale, title="二")


def test_dissolve_returns_opinions_to_the_pile_and_keeps_the_group_on_record(world):
    group = proposal(world)
    services.group_dissolve(actor=world.user("office"), group=group)
    group.refresh_from_db()
    assert group.status == GroupStatus.DISSOLVED
    assert Opinion.objects.filter(group__isnull=True).count() == 2
    assert selectors.sorting_board(world.user("office"), world.county_a, world.campaign).unsorted


def test_merge_groups_and_loose_opinions_originals_stay_linked(world):
    first = make_group(world.county_a, ["意见一", "意见二"], "组一")
    second = proposal(world)
    loose = make_opinion(world.county_a, "另一条意见")
    services.group_merge(actor=world.user("office"), target=first, groups=[second], opinions=[loose])
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == (GroupStatus.MERGED, first.pk)
    assert first.opinions.count() == 5
    assert set(Opinion.objects.values_list("group_id", flat=True)) == {first.pk}


def test_merge_refuses_other_units_and_claimed_groups(world):
    target = make_group(world.county_a, ["一", "二"])
    elsewhere = make_group(world.county_b, ["三"])
    with pytest.raises(ValidationError, match="同一单位"):
        services.group_merge(actor=root_admin(), target=target, groups=[elsewhere])
    claimed = make_group(world.county_a, ["四"])
    services.group_claim(actor=root_admin(), group=claimed, kind=ClaimKind.BODY)
    with pytest.raises(ValidationError, match="已认领的意见组不能并入"):
        services.group_merge(actor=root_admin(), target=target, groups=[claimed])
    with pytest.raises(ValidationError, match="请选择"):
        services.group_merge(actor=root_admin(), target=target)


def test_a_late_duplicate_joins_a_claimed_group_but_not_a_published_one(world):
    group = make_group(world.county_a, ["一"])
    services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    late = make_opinion(world.county_a, "迟到的同类意见")
    services.group_merge(actor=root_admin(), target=group, opinions=[late])
    assert group.opinions.count() == 2
    services.group_answer(actor=root_admin(), group=group, answer="答复")
    services.group_publish(actor=root_admin(), group=group)
    later = make_opinion(world.county_a, "更晚的同类意见")
    with pytest.raises(ValidationError, match="答复已发布"):
        services.group_merge(actor=root_admin(), target=group, opinions=[later])


def test_split_into_a_new_group_or_back_to_the_pile(world):
    group = make_group(world.county_a, ["一", "二", "三"])
    one, two, three = group.opinions.order_by("pk")
    new = services.group_split(actor=root_admin(), group=group, opinions=[one])
    assert list(new.opinions.all()) == [one] and new.status == GroupStatus.CONFIRMED
    assert services.group_split(actor=root_admin(), group=group, opinions=[two], to_new_group=False) is None
    two.refresh_from_db()
    assert two.group is None
    with pytest.raises(ValidationError, match="不能把全部意见拆出"):
        services.group_split(actor=root_admin(), group=group, opinions=[three])
    with pytest.raises(ValidationError, match="请选择本组中"):
        services.group_split(actor=root_admin(), group=group, opinions=[one])


def test_singles_become_groups_of_their_own(world):
    for text in ("甲", "乙", "丙"):
        make_opinion(world.county_a, text)
    assert services.groups_confirm_singles(actor=world.user("office"), unit=world.county_a) == 3
    assert OpinionGroup.objects.filter(status=GroupStatus.CONFIRMED).count() == 3
    assert not Opinion.objects.filter(group__isnull=True).exists()
    assert selectors.unclaimed_group_counts([world.county_a])[world.county_a.pk] == 3


def member_of_county(world):
    return Post.objects.get(unit=world.county_a, title="县委常委").person


def test_claim_by_a_leader_himself_or_the_office(world):
    group = make_group(world.county_a, ["一"])
    member = member_of_county(world)
    # Another leader cannot claim in his name; the principal cannot either.
    with pytest.raises(PermissionDenied):
        services.group_claim(actor=world.user("principal"), group=group, kind=ClaimKind.LEADER, person=member)
    group = services.group_claim(
        actor=world.user("member"), group=group, kind=ClaimKind.LEADER, person=member
    )
    assert (group.status, group.claimed_person, group.claim_kind) == (GroupStatus.CLAIMED, member, "leader")
    # Reassigning a claimed group is the office's work.
    with pytest.raises(PermissionDenied, match="改由他人认领"):
        services.group_claim(actor=world.user("member"), group=group, kind=ClaimKind.BODY)
    group = services.group_claim(actor=world.user("office"), group=group, kind=ClaimKind.BODY)
    assert (group.claim_kind, group.claimed_person) == ("body", None)


def test_claim_for_the_body_needs_the_principal_or_the_office(world):
    group = make_group(world.county_a, ["一"])
    with pytest.raises(PermissionDenied, match="主要负责同志"):
        services.group_claim(actor=world.user("member"), group=group, kind=ClaimKind.BODY)
    services.group_claim(actor=world.user("principal"), group=group, kind=ClaimKind.BODY)


def test_a_leader_of_another_unit_cannot_be_named(world):
    group = make_group(world.county_a, ["一"])
    stranger = make_post(world.county_b, role=PostRole.MEMBER).person
    with pytest.raises(ValidationError, match="不是“甲县”的班子成员"):
        services.group_claim(actor=world.user("office"), group=group, kind=ClaimKind.LEADER, person=stranger)


def test_unconfirmed_groups_cannot_be_claimed_or_answered(world):
    group = proposal(world)
    with pytest.raises(ValidationError, match="已确认"):
        services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    with pytest.raises(ValidationError, match="请先认领"):
        services.group_answer(actor=root_admin(), group=group, answer="答")


def test_claim_answer_publish_and_every_linked_opinion_shows_the_answer(world, client, as_user):
    texts = ["公车私用一", "公车私用二", "公车私用三"]
    group = make_group(world.county_a, texts, "公车私用")
    codes = list(group.opinions.values_list("receipt_code", flat=True))
    member = member_of_county(world)
    group = services.group_claim(
        actor=world.user("member"), group=group, kind=ClaimKind.LEADER, person=member
    )
    # The claimer drafts; the principal (not the claimer) may not; the office may.
    with pytest.raises(PermissionDenied):
        services.group_answer(actor=world.user("principal"), group=group, answer="x")
    group = services.group_answer(actor=world.user("member"), group=group, answer="初稿")
    group = services.group_answer(
        actor=world.user("member"), group=group, answer="已对三辆车的使用人批评教育。"
    )
    # Only the office publishes.
    with pytest.raises(PermissionDenied):
        services.group_publish(actor=world.user("member"), group=group)
    for code in codes:
        assert "已对三辆车" not in client.get("/public/opinions/receipt/", {"code": code}).content.decode()
    group = services.group_publish(actor=world.user("office"), group=group)
    assert group.status == GroupStatus.PUBLISHED and group.published_at is not None
    for code in codes:
        page = client.get("/public/opinions/receipt/", {"code": code}).content.decode()
        assert "已对三辆车的使用人批评教育。" in page
    for opinion in Opinion.objects.all():
        assert selectors.opinion_status(opinion) == OpinionStatus.PUBLISHED
        page = as_user("office").get(f"/opinions/{opinion.pk}/").content.decode()
        assert "已对三辆车的使用人批评教育。" in page
    with pytest.raises(ValidationError, match="已发布的答复不能修改"):
        services.group_answer(actor=world.user("office"), group=group, answer="改")
    actions = list(group.events.values_list("action", flat=True))
    assert actions == ["create", "claim", "answer", "answer", "publish"]


def test_the_pages_drive_the_same_flow(world, as_user):
    for text in ("领导开公车接送孩子上学。", "公车私用，接送孩子上学。"):
        make_opinion(world.county_a, text)
    office = as_user("office")
    code = world.county_a.code
    assert office.post(f"/opinions/units/{code}/sorting/run/").status_code == 302
    group = OpinionGroup.objects.get()
    board = office.get(f"/opinions/units/{code}/sorting/").content.decode()
    assert "建议归并" in board and "领导开公车接送孩子上学" in board
    response = office.post(
        f"/opinions/groups/{group.pk}/confirm/",
        {
            f"title-{group.pk}": "公车私用",
            f"version-{group.pk}": group.version,
            "next": f"/opinions/units/{code}/sorting/",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/opinions/units/{code}/sorting/"
    response = office.post(
        f"/opinions/groups/{group.pk}/claim/", {"kind": "body", "version": group.version + 1}
    )
    assert response.status_code == 302
    response = office.post(
        f"/opinions/groups/{group.pk}/answer/", {"answer": "已整改", "version": group.version + 2}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    response = office.post(
        f"/opinions/groups/{group.pk}/publish/", {"title": "公车私用问题", "version": group.version}
    )
    group.refresh_from_db()
    assert group.status == GroupStatus.PUBLISHED and group.title == "公车私用问题"
    # Someone without the right gets 403 on the office's buttons, and a clear page on a refusal.
    assert as_user("member").post(f"/opinions/groups/{group.pk}/publish/", {"title": "x"}).status_code == 403
    assert as_user("office_b").get(f"/opinions/groups/{group.pk}/").status_code == 404
    office = as_user("office")  # the test client is shared: log back in
    page = office.post(f"/opinions/groups/{group.pk}/dissolve/", follow=True).content.decode()
    assert "意见组已认领，不能再拆散" in page


def test_merge_and_create_from_the_board(world, as_user):
    a = make_group(world.county_a, ["一", "二"], "甲组")
    loose = [make_opinion(world.county_a, t) for t in ("三", "四", "五")]
    office = as_user("office")
    code = world.county_a.code
    office.post(f"/opinions/units/{code}/sorting/merge/", {"target": a.pk, "opinions": [loose[0].pk]})
    assert a.opinions.count() == 3
    office.post(
        f"/opinions/units/{code}/sorting/create/", {"opinions": [loose[1].pk, loose[2].pk], "title": "乙组"}
    )
    assert OpinionGroup.objects.get(title="乙组").opinions.count() == 2
    page = office.post(
        f"/opinions/units/{code}/sorting/merge/", {"target": "x"}, follow=True
    ).content.decode()
    assert "请选择要并入的目标意见组" in page


def test_office_corrects_how_an_opinion_was_filed_but_never_its_text(world, as_user):
    opinion = make_opinion(world.county_a, "原话照录，一字不改。")
    office = as_user("office")
    form = {"channel": "box", "category": "hedonism", "received_on": "2014-04-01", "version": opinion.version}
    assert office.post(f"/opinions/{opinion.pk}/edit/", {**form, "text": "改过的话"}).status_code == 302
    opinion.refresh_from_db()
    assert (opinion.channel, opinion.category, opinion.text) == ("box", "hedonism", "原话照录，一字不改。")
    stale = office.post(f"/opinions/{opinion.pk}/edit/", {**form, "category": "other"})
    assert "已被他人修改" in stale.content.decode()
    future = office.post(
        f"/opinions/{opinion.pk}/edit/", {**form, "received_on": "2030-01-01", "version": opinion.version}
    )
    assert "收到日期不能晚于今天" in future.content.decode()


def test_office_enters_an_opinion_and_gets_its_receipt_code(world, as_user):
    office = as_user("office")
    response = office.post(
        f"/opinions/units/{world.county_a.code}/add/",
        {
            "channel": "upper_inspection",
            "category": "formalism",
            "received_on": "2014-04-02",
            "text": "巡视组反馈：会议多、文件多。",
            "about_person": member_of_county(world).pk,
            "is_anonymous": "on",
            "submitter_name": "不该留名",
        },
    )
    assert "匿名（背靠背）意见不能填写提出人姓名和联系方式" in response.content.decode()
    assert not Opinion.objects.exists()
    response = office.post(
        f"/opinions/units/{world.county_a.code}/add/",
        {
            "channel": "upper_inspection",
            "category": "formalism",
            "received_on": "2014-04-02",
            "text": "巡视组反馈：会议多、文件多。",
            "about_person": member_of_county(world).pk,
            "is_anonymous": "on",
        },
        follow=True,
    )
    opinion = Opinion.objects.get()
    assert opinion.receipt_display in response.content.decode()
    assert opinion.about_person == member_of_county(world) and opinion.entered_by == world.user("office")


def test_admin_lists_are_read_only_and_load(world, as_user):
    client = as_user("superuser")
    make_group(world.county_a, ["一"])
    for model in ("studysession", "opinion", "opiniongroup", "survey", "remediation"):
        assert client.get(f"/admin/stages/{model}/").status_code == 200, model
    opinion = Opinion.objects.get()
    page = client.get(f"/admin/stages/opinion/{opinion.pk}/change/")
    assert page.status_code == 200 and "submitter_contact" not in page.content.decode()
    assert client.get("/admin/stages/opinion/add/").status_code == 403
