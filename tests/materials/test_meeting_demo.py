"""The demo of stage two: what each scenario shows on the demo day."""

import io

import pytest
from django.core.management import call_command

from materials import meeting_selectors as ms
from materials.meeting_choices import BriefingStatus, MeetingStatus
from materials.meeting_models import CriticismList, Meeting
from materials.talk_selectors import talk_coverage
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.once
def test_demo_scenarios(settings):
    import datetime

    call_command("seed_demo", stdout=io.StringIO())
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    units = {u.code: u for u in Unit.objects.filter(code__in=["410922", "410902", "410923", "410922001001"])}
    qingfeng = talk_coverage([units["410922"]])[units["410922"].pk]
    assert qingfeng.total == 31 and 0 < qingfeng.done < 31
    assert any(r.state == "recorded" for r in qingfeng.required)
    assert Meeting.objects.get(unit=units["410922"]).status == MeetingStatus.PLAN_IN_REVIEW
    assert set(CriticismList.objects.values_list("status", flat=True)) == {"in_review", "returned"}
    held = {code: Meeting.objects.get(unit=units[code]) for code in ("410902", "410923")}
    assert all(m.status == MeetingStatus.EVALUATED and m.criticisms.count() == 7 for m in held.values())
    assert talk_coverage([units["410902"]])[units["410902"].pk].complete
    assert not held["410902"].report.is_late and held["410923"].report.is_late
    assert held["410923"].briefings.get().status == BriefingStatus.REWORK
    assert held["410902"].briefings.get().status == BriefingStatus.PASSED
    village = Meeting.objects.get(unit=units["410922001001"])
    assert village.kind == "organizational_life" and village.appraisals.count() == 7
    assert village.attendees.filter(as_ordinary_member=True).count() == 1
    assert ms.meeting_held(units.values()) == {
        units["410922"].pk: False,
        units["410902"].pk: True,
        units["410923"].pk: True,
        units["410922001001"].pk: True,
    }
