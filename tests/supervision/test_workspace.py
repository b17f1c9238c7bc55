"""The 督导组 workspace, checklist, notes, 约谈/问责, 听取汇报 and notifications, per role."""

import datetime

import pytest

from materials.choices import ActionKind
from supervision.models import Accountability, Briefing, Notification, SupervisionNote, UnitCheck
from tests.factories import UserFactory
from tests.materials.conftest import account, members_of
from tests.materials.helpers import act, write_and_submit
from units.models import Organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(province):
    return Organization.objects.get(name="濮阳市委第二督导组")


@pytest.fixture
def supervisor(group):
    return account(members_of(group.name)[0].code)


def test_group_workspace_lists_what_waits_oldest_first(
    client, province, group, supervisor, django_assert_max_num_queries
):
    account("P410922-SJ")
    first = write_and_submit(province.campaign, "P410922-ZZB", "410922")
    act(first, ActionKind.PASS)  # now at the 市委督导组
    client.force_login(supervisor)
    url = f"/supervision/groups/{group.pk}/"
    # session, user, scope, group, membership check, members, assignments, workload: review steps and
    # items awaiting 销号 (rectification), assignments list, members list
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    assert first.title in page and "市委督导组审核" in page
    second = write_and_submit(province.campaign, "P410922-XCB", "410922")
    act(second, ActionKind.PASS)
    with django_assert_max_num_queries(11):
        page = client.get(url).content.decode()
    assert page.index(first.title) < page.index(second.title)
    assert client.get(f"/api/supervision-groups/{group.pk}/").json()[0]["title"] == first.title


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 200), ("city_office", 200), ("other_group", 404), ("county_member", 404), ("outsider", 404)],
)
def test_who_may_open_a_group_workspace(client, group, supervisor, who, status):
    users = {
        "member": supervisor,
        "city_office": account(members_of("濮阳市委教育实践活动领导小组办公室")[0].code),
        "other_group": account(members_of("濮阳市委第一督导组")[0].code),
        "county_member": account("P410922-ZZB"),
        "outsider": UserFactory(username="nobody"),
    }
    client.force_login(users[who])
    assert client.get(f"/supervision/groups/{group.pk}/").status_code == status


def test_the_checklist_is_the_groups_own(client, province, group, supervisor):
    client.force_login(supervisor)
    url = f"/supervision/groups/{group.pk}/units/410922/checklist/"
    page = client.get(url).content.decode()
    assert "思想认识上不去" in page and "领导责任不落实" in page
    response = client.post(url, {"item": "focus", "status": "concern", "note": ""})
    assert "存在问题时请写明具体情况" in response.content.decode()
    client.post(url, {"item": "focus", "status": "concern", "note": "查摆不聚焦"})
    check = UnitCheck.objects.get(group=group, item="focus")
    assert check.note == "查摆不聚焦" and check.checked_by == supervisor
    # A unit the group is not sent to: 404; a member of another group: not his checklist.
    assert client.get(f"/supervision/groups/{group.pk}/units/411002/checklist/").status_code == 404
    client.force_login(account(members_of("濮阳市委教育实践活动领导小组办公室")[0].code))
    response = client.post(url, {"item": "depth", "status": "passed", "note": ""})
    assert "只有督导该单位的督导组成员" in response.content.decode()


def test_notes_are_internal_to_supervisors_and_offices(client, province, supervisor):
    account("P410922-SJ")
    material = write_and_submit(province.campaign, "P410922-ZZB", "410922")
    client.force_login(supervisor)
    client.post(
        "/supervision/notes/add/", {"record": "materials.Material", "id": material.pk, "text": "事例不够具体"}
    )
    note = SupervisionNote.objects.get()
    assert note.unit.code == "410922"
    assert "事例不够具体" in client.get(f"/materials/{material.pk}/").content.decode()
    client.force_login(account(members_of("清丰县委教育实践活动领导小组办公室")[0].code))
    assert "事例不够具体" in client.get(f"/materials/{material.pk}/").content.decode()
    client.force_login(account("P410922-ZZB"))  # the author himself
    assert "事例不够具体" not in client.get(f"/materials/{material.pk}/").content.decode()
    response = client.post(
        "/supervision/notes/add/", {"record": "materials.Material", "id": material.pk, "text": "自己写"}
    )
    assert SupervisionNote.objects.count() == 1 and response.status_code == 302


def test_accountability_is_recorded_by_offices(client, province):
    from units.models import Post

    url = "/supervision/accountability/410923/"
    secretary = Post.objects.get(unit__code="410923", role="principal").person
    data = {"person": secretary.pk, "kind": "talk", "date": "2014-06-12", "reason": "推进缓慢", "outcome": ""}
    client.force_login(account("P410923-ZZB"))
    assert client.post(url, data).status_code == 403
    client.force_login(account(members_of("濮阳市委教育实践活动领导小组办公室")[0].code))
    assert client.post(url, data).status_code == 302
    assert Accountability.objects.get().person == secretary
    client.force_login(account(members_of("许昌市委教育实践活动领导小组办公室")[0].code))
    assert client.get(url).status_code == 404


def test_briefings_by_the_secretary(client, province, settings):
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    url = "/supervision/briefings/410922/"
    data = {"date": "2014-06-18", "reporters": "城关镇党委书记", "notes": "听取进展"}
    client.force_login(account("P410922-ZZB"))
    assert client.post(url, data).status_code == 403
    client.force_login(account("P410922-SJ"))
    assert client.post(url, {**data, "date": "2014-07-01"}).status_code == 200  # future date refused
    assert client.post(url, data).status_code == 302
    assert Briefing.objects.get().chaired_by.code == "P410922-SJ"


def test_notifications_are_private_and_can_be_read(client, province):
    secretary = account("P410922-SJ")
    other = account("P410922-ZZB")
    notice = Notification.objects.create(user=secretary, kind="info", title="测试通知", url="/materials/")
    client.force_login(other)
    assert client.get("/notifications/unread.json").json() == {"unread": 0}
    assert client.post(f"/notifications/{notice.pk}/open/").status_code == 404
    assert "测试通知" not in client.get("/notifications/").content.decode()
    client.force_login(secretary)
    assert client.get("/notifications/unread.json").json() == {"unread": 1}
    assert client.post(f"/notifications/{notice.pk}/open/")["Location"] == "/materials/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert client.get("/api/notifications/").json()["results"][0]["title"] == "测试通知"
