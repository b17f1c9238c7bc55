"""Study records: kinds, hours, participants from the unit's people; who may record them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stages import selectors, services
from stages.choices import StudyKind
from stages.models import StudySession
from tests.factories import make_post
from tests.stages.conftest import DAY
from units.models import Post

pytestmark = pytest.mark.django_db


def record(actor, unit, **kwargs):
    values = {
        "kind": StudyKind.CENTRAL_GROUP,
        "held_on": DAY - datetime.timedelta(days=2),
        "hours": Decimal("3.5"),
        "topic": "学习习近平总书记系列重要讲话",
        "material": "《论群众路线》",
    }
    values.update(kwargs)
    return services.study_session_create(actor=actor, unit=unit, **values)


def test_a_member_of_the_unit_records_a_session_with_its_people(world):
    people = list(selectors.people_of_unit(world.county_a, on=DAY))
    session = record(world.user("member"), world.county_a, participants=people)
    assert set(session.participants.all()) == set(people)
    assert session.recorded_by == world.user("member") and session.unit_path == world.county_a.path
    assert {h.history_user for h in session.history.all()} == {world.user("member")}


def test_people_from_outside_the_unit_are_refused(world):
    stranger = Post.objects.get(unit=world.county_b).person
    with pytest.raises(ValidationError, match="未在“甲县”任职"):
        record(world.user("office"), world.county_a, participants=[stranger])
    # Someone whose post ended before the session is not a participant either.
    left = make_post(world.county_a, start=datetime.date(2010, 1, 1), end=datetime.date(2013, 12, 31)).person
    with pytest.raises(ValidationError, match=left.name):
        record(world.user("office"), world.county_a, participants=[left])
    assert not StudySession.objects.exists()


def test_who_may_record(world):
    record(world.user("office"), world.town_a)  # the county office, for a township
    for role in ("member", "principal", "supervisor", "office_b", "village"):
        with pytest.raises(PermissionDenied):
            record(world.user(role), world.town_a)
    # The county principal leads the subtree but is not in the township's 班子.
    record(world.user("village"), world.village_a)


def test_bad_values(world):
    with pytest.raises(ValidationError, match="学习日期不能晚于今天"):
        record(world.user("office"), world.county_a, held_on=DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        record(world.user("office"), world.county_a, hours=Decimal("0"))


def test_edit_with_version_and_history(world, as_user):
    session = record(world.user("member"), world.county_a)
    client = as_user("member")
    form = {
        "kind": StudyKind.DISCUSSION,
        "held_on": "2014-04-10",
        "hours": "2",
        "topic": "专题讨论",
        "material": "",
        "version": session.version,
    }
    assert client.post(f"/study/{session.pk}/edit/", form).status_code == 302
    stale = client.post(f"/study/{session.pk}/edit/", {**form, "topic": "再改"})
    assert "已被他人修改" in stale.content.decode()
    session.refresh_from_db()
    assert (session.kind, session.topic) == (StudyKind.DISCUSSION, "专题讨论")
    history = client.get(f"/study/{session.pk}/history/").content.decode()
    assert "专题讨论" in history and "学习形式" in history


def test_pages(world, as_user):
    client = as_user("office")
    code = world.county_a.code
    page = client.get(f"/study/units/{code}/add/").content.decode()
    assert "参学人员" in page and "县委书记" not in page  # people are listed by name, not title
    response = client.post(
        f"/study/units/{code}/add/",
        {
            "kind": StudyKind.VISIT,
            "held_on": "2014-04-01",
            "hours": "6",
            "topic": "参观焦裕禄纪念馆",
            "participants": [p.pk for p in selectors.people_of_unit(world.county_a)],
        },
    )
    assert response.status_code == 302
    listing = client.get(f"/study/units/{code}/").content.decode()
    assert "参观焦裕禄纪念馆" in listing and "参观学习" in listing
    bad = client.post(f"/study/units/{code}/add/", {"kind": "x", "hours": "-1"})
    assert bad.status_code == 200 and "该字段是必填项" in bad.content.decode()
