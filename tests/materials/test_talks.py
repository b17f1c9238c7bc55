"""谈心谈话 "四必谈": derivation from posts, coverage, recording and confirming, pages and API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from materials import talk_services
from materials.meeting_choices import TalkKind, TalkStatus
from materials.meeting_models import MeetingEvent, Talk
from materials.talk_selectors import talk_coverage, talks_complete
from tests.factories import PersonFactory, make_org, make_post, make_unit, root_admin, seat
from tests.materials.stage2 import DAY, POINTS, complete_talks, user_of
from units import services as unit_services
from units.choices import OrgKind, OrgRole, PostRole, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(settings):
    settings.CAMPAIGN_CLOCK_DATE = DAY


def oversee(post, units):
    unit_services.post_update(
        actor=root_admin(),
        post=post,
        version=post.version,
        title=post.title,
        role=post.role,
        sort_order=post.sort_order,
        end_date=post.end_date,
        oversees=units,
    )


def make_body(world, code="K00", size=7, with_group=True):
    """A 县委 of ``size``: the secretary and members; two members oversee three departments."""
    county = make_unit(world.city, UnitKind.COUNTY, f"丙县{code}", code)
    departments = [make_unit(county, UnitKind.DEPARTMENT, f"{code}局{i}", f"{code}-D{i}") for i in range(3)]
    heads = [make_post(d, role=PostRole.PRINCIPAL, title="局长").person for d in departments]
    posts = [make_post(county, role=PostRole.PRINCIPAL, title="县委书记")]
    posts += [make_post(county, title=f"县委常委{i}") for i in range(1, size)]
    oversee(posts[2], departments[:2])
    oversee(posts[3], departments[2:])
    group = None
    if with_group:
        group = make_org(world.campaign, world.city, OrgKind.SUPERVISION_GROUP, f"测试市委督导组{code}")
        unit_services.supervision_assign(
            actor=root_admin(), group=group, unit=county, start_date=world.campaign.start_date
        )
        seat(group, PersonFactory(name=f"督导组长{code}"), OrgRole.LEADER)
        seat(group, PersonFactory(name=f"督导员{code}"))
    return {"unit": county, "posts": posts, "heads": heads, "departments": departments, "group": group}


def pairs(coverage, kind):
    return {
        frozenset({r.member.pk, r.other.pk}) if r.other else r.member.pk
        for r in coverage.required
        if r.kind == kind
    }


def test_required_talks_of_a_seven_member_body(world):
    body = make_body(world)
    coverage = talk_coverage([body["unit"]])[body["unit"].pk]
    people = [p.person for p in body["posts"]]
    secretary, members = people[0], people[1:]
    heads = body["heads"]
    assert len(coverage.members) == 7
    # The principal with every member: 6.
    assert pairs(coverage, TalkKind.PRINCIPAL) == {frozenset({secretary.pk, m.pk}) for m in members}
    # Every other pair of members: C(6, 2) = 15.
    assert pairs(coverage, TalkKind.MEMBERS) == {
        frozenset({a.pk, b.pk}) for i, a in enumerate(members) for b in members[i + 1 :]
    }
    # Every member with the heads of the departments he oversees: 2 + 1.
    assert pairs(coverage, TalkKind.DEPARTMENT) == {
        frozenset({people[2].pk, heads[0].pk}),
        frozenset({people[2].pk, heads[1].pk}),
        frozenset({people[3].pk, heads[2].pk}),
    }
    # The 督导组 with every member: 7.
    assert pairs(coverage, TalkKind.SUPERVISION) == {p.pk for p in people}
    assert coverage.total == 6 + 15 + 3 + 7 == 31
    assert coverage.done == 0 and not coverage.complete
    assert {r.label for r in coverage.missing} >= {
        f"{secretary.name} — {people[1].name}",
        f"{people[2].name} — {heads[0].name}（{body['departments'][0].name}主要负责同志）",
        f"{people[4].name} — 督导组",
    }


def test_a_member_leaves_and_another_joins(world):
    body = make_body(world)
    unit = body["unit"]
    complete_talks(world, unit)
    assert talks_complete([unit]) == {unit.pk: True}
    leaver = body["posts"][3]  # oversees the third department
    unit_services.post_end(actor=root_admin(), post=leaver, end_date=DAY - datetime.timedelta(days=1))
    newcomer = make_post(unit, title="县委常委（新任）", start=DAY - datetime.timedelta(days=1)).person

    coverage = talk_coverage([unit])[unit.pk]
    people = [p.person for p in body["posts"] if p.pk != leaver.pk] + [newcomer]
    assert len(coverage.members) == 7 and leaver.person not in coverage.members
    everyone = {frozenset({a.pk, b.pk}) for i, a in enumerate(people) for b in people[i + 1 :]}
    assert pairs(coverage, TalkKind.PRINCIPAL) | pairs(coverage, TalkKind.MEMBERS) == everyone
    assert pairs(coverage, TalkKind.DEPARTMENT) == {
        frozenset({body["posts"][2].person_id, body["heads"][0].pk}),
        frozenset({body["posts"][2].person_id, body["heads"][1].pk}),
    }
    assert coverage.total == 21 + 2 + 7
    # The leaver's talks no longer count; the newcomer's six pairs and his 督导组 talk are missing.
    assert {r.key for r in coverage.missing} == {
        ("pair", *sorted((p.pk, newcomer.pk))) for p in people if p != newcomer
    } | {("group", newcomer.pk)}
    assert all(newcomer in (r.member, r.other) for r in coverage.missing)
    assert talks_complete([unit]) == {unit.pk: False}
    # Nothing recorded was lost.
    assert (
        Talk.objects.filter(unit=unit, party_a=leaver.person).exists()
        or Talk.objects.filter(unit=unit, party_b=leaver.person).exists()
    )


def test_coverage_of_many_units_costs_six_queries_and_the_gate_five(world, django_assert_num_queries):
    first = make_body(world, "K00")
    with django_assert_num_queries(6):
        one = talk_coverage([first["unit"]])
    units = [first["unit"]] + [make_body(world, f"K{i:02d}")["unit"] for i in range(1, 8)]
    units.append(world.village_a)  # a village owes no talks: no extra query
    with django_assert_num_queries(6):
        many = talk_coverage(units)
    assert one[first["unit"].pk].total == many[first["unit"].pk].total == 31
    assert all(many[u.pk].total == 31 for u in units[:-1]) and world.village_a.pk not in many
    with django_assert_num_queries(5):
        gates = talks_complete(units)
    assert gates[world.village_a.pk] is True and not gates[first["unit"].pk]


def test_record_then_confirm_by_the_other_side(world):
    principal, member = world.user("principal"), world.user("member")
    unit = world.county_a
    talk = talk_services.talk_record(
        actor=principal,
        campaign=world.campaign,
        unit=unit,
        counterpart=member.person,
        group=None,
        held_on=DAY,
        points=POINTS,
    )
    coverage = talk_coverage([unit])[unit.pk]
    requirement = coverage.find(principal.person.pk, member.person.pk)
    assert requirement.state == "recorded" and not requirement.done  # not counted until confirmed
    with pytest.raises(PermissionDenied):
        talk_services.talk_confirm(actor=principal, talk=talk, version=talk.version)  # not by the recorder
    with pytest.raises(PermissionDenied):
        talk_services.talk_confirm(actor=world.user("supervisor"), talk=talk, version=talk.version)
    with pytest.raises(ValidationError, match="已被他人修改"):
        talk_services.talk_confirm(actor=member, talk=talk, version=talk.version - 1)
    talk = talk_services.talk_confirm(actor=member, talk=talk, version=talk.version)
    assert talk.status == TalkStatus.CONFIRMED and talk.confirmed_by == member.person
    assert talk_coverage([unit])[unit.pk].find(principal.person.pk, member.person.pk).done
    with pytest.raises(ValidationError, match="不能再修改"):
        talk_services.talk_update(
            actor=principal, talk=talk, version=talk.version, held_on=DAY, points=POINTS
        )
    assert list(
        MeetingEvent.objects.filter(subject="talk", subject_id=talk.pk).values_list("action", flat=True)
    ) == [
        "record",
        "confirm",
    ]


def test_bad_talks_are_refused_with_a_reason_and_nothing_saved(world):
    principal = world.user("principal")
    stranger = PersonFactory(name="局外人")
    kwargs = {"actor": principal, "campaign": world.campaign, "unit": world.county_a, "group": None}
    with pytest.raises(ValidationError, match="不在“甲县”班子“四必谈”的范围内"):
        talk_services.talk_record(**kwargs, counterpart=stranger, held_on=DAY, points=POINTS)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        talk_services.talk_record(
            **kwargs,
            counterpart=world.user("member").person,
            held_on=DAY + datetime.timedelta(days=1),
            points=POINTS,
        )
    empty = talk_services.TalkPoints("亮明了问题", "", "班子问题", "会上意见")
    with pytest.raises(ValidationError) as refused:
        talk_services.talk_record(
            **kwargs, counterpart=world.user("member").person, held_on=DAY, points=empty
        )
    assert "诚恳指出对方存在的问题" in str(refused.value.message_dict["other_problems"])
    with pytest.raises(ValidationError, match="无需登记"):
        talk_services.talk_record(
            actor=world.user("village"),
            campaign=world.campaign,
            unit=world.village_a,
            counterpart=stranger,
            group=None,
            held_on=DAY,
            points=POINTS,
        )
    assert not Talk.objects.exists() and not MeetingEvent.objects.exists()


def test_talks_with_the_supervision_group_either_way(world):
    member, supervisor = world.user("member"), world.user("supervisor")
    group = supervisor.person.memberships.get().organization
    colleague = PersonFactory(name="督导员乙")
    seat(group, colleague)
    # Recorded by the group member, confirmed by the 班子 member.
    first = talk_services.talk_record(
        actor=supervisor,
        campaign=world.campaign,
        unit=world.county_a,
        counterpart=member.person,
        group=group,
        held_on=DAY,
        points=POINTS,
    )
    assert (first.party_a, first.party_b) == (supervisor.person, member.person)
    talk_services.talk_confirm(actor=member, talk=first, version=first.version)
    # Recorded by the 班子 member, confirmed by any member of the group.
    principal = world.user("principal")
    second = talk_services.talk_record(
        actor=principal,
        campaign=world.campaign,
        unit=world.county_a,
        counterpart=supervisor.person,
        group=group,
        held_on=DAY,
        points=POINTS,
    )
    assert (second.party_a, second.party_b) == (supervisor.person, principal.person)
    talk_services.talk_confirm(actor=user_of(colleague), talk=second, version=second.version)
    coverage = talk_coverage([world.county_a])[world.county_a.pk]
    assert coverage.find(member.person.pk, None, group=True).done
    assert coverage.find(principal.person.pk, None, group=True).done
    # A group that does not supervise 县A cannot stand in.
    other = make_org(world.campaign, world.city, OrgKind.SUPERVISION_GROUP, "测试市委第九督导组")
    outsider = PersonFactory(name="外组督导员")
    seat(other, outsider)
    with pytest.raises(ValidationError, match="不是督导本单位的督导组成员"):
        talk_services.talk_record(
            actor=principal,
            campaign=world.campaign,
            unit=world.county_a,
            counterpart=outsider,
            group=other,
            held_on=DAY,
            points=POINTS,
        )


def test_a_department_head_outside_the_unit_confirms_from_his_own_page(world, client):
    head = make_post(world.county_a_dept, role=PostRole.PRINCIPAL, title="教育局长").person
    member = world.user("member")
    talk = talk_services.talk_record(
        actor=member,
        campaign=world.campaign,
        unit=world.county_a,
        counterpart=head,
        group=None,
        held_on=DAY,
        points=POINTS,
    )
    client.force_login(user_of(head))
    assert client.get(f"/talks/unit/{world.county_a.code}/").status_code == 404  # not his unit
    mine = client.get("/talks/").content.decode()
    assert "待我确认的谈话" in mine and talk.get_absolute_url() in mine
    assert client.get(talk.get_absolute_url()).status_code == 200
    client.post(f"/talks/{talk.pk}/confirm/", {"version": talk.version})
    talk.refresh_from_db()
    assert talk.status == TalkStatus.CONFIRMED


ROLES = [
    "office",
    "office_b",
    "supervisor",
    "principal",
    "member",
    "village",
    "outsider",
    "superuser",
    "anonymous",
]
SEE = {"office", "supervisor", "principal", "member", "superuser"}


@pytest.mark.parametrize("role", ROLES)
def test_talk_pages_per_role(world, as_user, role):
    talk = talk_services.talk_record(
        actor=world.user("principal"),
        campaign=world.campaign,
        unit=world.county_a,
        counterpart=world.user("member").person,
        group=None,
        held_on=DAY,
        points=POINTS,
    )
    client = as_user(role)
    for url in (f"/talks/unit/{world.county_a.code}/", f"/talks/{talk.pk}/", f"/talks/{talk.pk}/history/"):
        expected = 302 if role == "anonymous" else 200 if role in SEE else 404
        assert client.get(url).status_code == expected, (url, role)
    # Editing is for the recorder; confirming for the other side.
    edit = client.get(f"/talks/{talk.pk}/edit/").status_code
    assert edit == {"anonymous": 302, "principal": 200}.get(role, 403 if role in SEE else 404)
    client.post(f"/talks/{talk.pk}/confirm/", {"version": talk.version})
    talk.refresh_from_db()
    assert (talk.status == TalkStatus.CONFIRMED) == (role == "member")


def test_talks_page_records_a_talk_and_shows_what_is_missing(world, as_user):
    client = as_user("member")
    url = f"/talks/unit/{world.county_a.code}/"
    page = client.get(url).content.decode()
    principal = world.user("principal").person
    assert "0 / 3" in page and f"{principal.name} — " in page and "督导组" in page
    assert f'value="p:{principal.pk}"' in page
    data = {
        "counterpart": f"p:{principal.pk}",
        "held_on": "2014-06-18",
        "own_problems": "",
        "other_problems": "指出对方问题",
        "body_problems": "班子问题",
        "meeting_points": "会上意见",
    }
    refused = client.post(url, data).content.decode()
    assert "这个字段是必填项" in refused or "必填" in refused
    assert not Talk.objects.exists()
    data["own_problems"] = "亮明自身问题"
    response = client.post(url, data)
    talk = Talk.objects.get()
    assert response.status_code == 302 and response["Location"] == talk.get_absolute_url()
    assert talk.recorded_by == world.user("member").person


def test_talks_page_query_count_does_not_grow(world, as_user, django_assert_max_num_queries):
    client = as_user("office")
    url = f"/talks/unit/{world.county_a.code}/"
    # session, user, scope, unit; coverage: posts, 分管, heads, assignments, seats, talks; campaign = 11
    with django_assert_max_num_queries(11):
        client.get(url)
    for i in range(8):
        make_post(world.county_a, title=f"县委常委{i}", oversees=[world.county_a_dept])
    make_post(world.county_a_dept, role=PostRole.PRINCIPAL, title="局长")
    complete_talks(world, world.county_a)
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    assert page.count("已谈") >= 45


def test_api_records_confirms_and_reports_coverage(world, client):
    client.force_login(world.user("principal"))
    member = world.user("member").person
    created = client.post(
        "/api/talks/",
        {
            "unit": world.county_a.code,
            "counterpart": member.pk,
            "held_on": "2014-06-18",
            "own_problems": "a",
            "other_problems": "b",
            "body_problems": "c",
            "meeting_points": "d",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    talk = created.json()
    corrected = client.put(
        f"/api/talks/{talk['id']}/",
        {
            "version": talk["version"],
            "held_on": "2014-06-17",
            "own_problems": "a2",
            "other_problems": "b",
            "body_problems": "c",
            "meeting_points": "d",
        },
        content_type="application/json",
    )
    assert corrected.status_code == 200 and corrected.json()["own_problems"] == "a2"
    talk = corrected.json()
    coverage = client.get(f"/api/talks/coverage/?unit={world.county_a.code}").json()
    assert coverage["total"] == 3 and coverage["done"] == 0
    assert {t["state"] for t in coverage["talks"]} == {"recorded", "missing"}
    refused = client.post(
        f"/api/talks/{talk['id']}/confirm/", {"version": talk["version"]}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.force_login(world.user("member"))
    ok = client.post(
        f"/api/talks/{talk['id']}/confirm/", {"version": talk["version"]}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    assert client.get(f"/api/talks/coverage/?unit={world.county_a.code}").json()["done"] == 1
    client.force_login(world.user("office_b"))
    assert client.get(f"/api/talks/{talk['id']}/").status_code == 404
    assert client.get(f"/api/talks/coverage/?unit={world.county_a.code}").status_code == 404
