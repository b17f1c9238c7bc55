"""背靠背: an anonymous submitter is never identified — not in pages, exports, the API, the history,
nor anywhere in the database. A named submitter's name and contact reach only the office.
"""

import io

import pytest
from django.apps import apps
from openpyxl import load_workbook

from stages import services
from stages.choices import ClaimKind
from stages.models import Opinion
from tests.factories import PersonFactory, login_as, make_post, root_admin

pytestmark = pytest.mark.django_db

WHISTLEBLOWER = "举报人甲乙丙"
USERNAME = "whistle_2014"
ADDRESS = "203.0.113.77"
NAMED = "实名张三丰"
PHONE = "13912345678"
SECRETS = (WHISTLEBLOWER, USERNAME, ADDRESS)


def _xlsx_text(response):
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)


@pytest.fixture
def anonymous_case(world, client):
    """An anonymous opinion sent by a logged-in cadre of the county from a known address, then answered."""
    person = PersonFactory(name=WHISTLEBLOWER)
    make_post(world.county_a_dept, person=person, title="科员")
    user = login_as(person, USERNAME)
    user.first_name = WHISTLEBLOWER
    user.save()
    client.force_login(user)
    response = client.post(
        f"/public/units/{world.county_a.code}/opinions/",
        {
            "category": "extravagance",
            "text": "有的领导开公车接送孩子。",
            "identity": "anonymous",
            "submitter_name": WHISTLEBLOWER,  # typed by mistake: dropped
            "submitter_contact": "whistle@example.org",
        },
        REMOTE_ADDR=ADDRESS,
        HTTP_USER_AGENT=f"Mozilla/5.0 {USERNAME}",
    )
    assert response.status_code == 200
    client.logout()
    opinion = Opinion.objects.get()
    group = services.group_create(
        actor=root_admin(), unit=world.county_a, opinions=[opinion], title="公车私用"
    )
    group = services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    group = services.group_answer(actor=root_admin(), group=group, answer="已查处。")
    services.group_publish(actor=root_admin(), group=group)
    return opinion, group


def test_nothing_about_the_submitter_is_stored(anonymous_case):
    opinion, _group = anonymous_case
    assert (opinion.submitter_name, opinion.submitter_contact, opinion.entered_by) == ("", "", None)
    assert opinion.history.get(history_type="+").history_user_id is None
    # Later rows are the office's sorting and answering, never the submitter's account.
    assert not opinion.history.filter(history_user__username=USERNAME).exists()
    # No row of any table of the stages app, nor its history, holds the name, account or address.
    for model in apps.get_app_config("stages").get_models():
        for row in model.objects.all().values():
            text = " ".join(str(v) for v in row.values())
            for secret in SECRETS:
                assert secret not in text, (model.__name__, secret)


ROLES = ["office", "superuser", "principal", "member", "supervisor"]


def _pages(world, opinion, group):
    code = world.county_a.code
    return [
        f"/opinions/units/{code}/",
        f"/opinions/units/{code}/?status=published",
        f"/opinions/{opinion.pk}/",
        f"/opinions/{opinion.pk}/history/",
        f"/opinions/units/{code}/sorting/",
        f"/opinions/units/{code}/groups/?status=all",
        f"/opinions/groups/{group.pk}/",
        f"/opinions/groups/{group.pk}/history/",
        f"/units/{code}/",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_exports_and_api_never_show_the_anonymous_submitter(world, as_user, anonymous_case, role):
    opinion, group = anonymous_case
    client = as_user(role)
    for url in _pages(world, opinion, group):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for secret in SECRETS:
            assert secret not in page, (url, secret)
        assert "whistle@example.org" not in page
    export = client.get(f"/opinions/units/{world.county_a.code}/export/")
    assert export.status_code == 200
    text = _xlsx_text(export)
    assert "有的领导开公车接送孩子" in text
    for secret in (*SECRETS, "whistle@example.org"):
        assert secret not in text
    for url in (
        "/api/opinions/",
        f"/api/opinions/{opinion.pk}/",
        f"/api/opinion-groups/{group.pk}/",
        "/api/opinion-groups/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (*SECRETS, "whistle@example.org"):
            assert secret not in body, (url, secret)
    detail = client.get(f"/api/opinions/{opinion.pk}/").json()
    assert "submitter_name" not in detail and "submitter_contact" not in detail
    assert detail["is_anonymous"] is True


def test_public_pages_never_show_the_submitter(world, client, anonymous_case):
    opinion, _group = anonymous_case
    for url in (
        f"/public/units/{world.county_a.code}/",
        f"/public/opinions/receipt/?code={opinion.receipt_code}",
    ):
        page = client.get(url).content.decode()
        assert "已查处。" in page
        for secret in SECRETS:
            assert secret not in page


@pytest.fixture
def named(world):
    return services.opinion_create(
        actor=world.user("office"),
        unit=world.county_a,
        channel="symposium",
        category="bureaucratism",
        text="县委有的领导调研走马观花。",
        received_on=world.campaign.start_date,
        is_anonymous=False,
        submitter_name=NAMED,
        submitter_contact=PHONE,
    )


@pytest.mark.parametrize(
    ("role", "sees"),
    [("office", True), ("superuser", True), ("principal", False), ("member", False), ("supervisor", False)],
)
def test_named_contact_reaches_only_the_office(world, as_user, named, role, sees):
    client = as_user(role)
    code = world.county_a.code
    for url in (f"/opinions/{named.pk}/", f"/opinions/{named.pk}/history/"):
        page = client.get(url).content.decode()
        assert (NAMED in page) == sees, url
        assert (PHONE in page) == sees, url
    assert NAMED not in client.get(f"/opinions/units/{code}/").content.decode()
    text = _xlsx_text(client.get(f"/opinions/units/{code}/export/"))
    assert (NAMED in text, PHONE in text) == (sees, sees)
    detail = client.get(f"/api/opinions/{named.pk}/").json()
    assert (detail.get("submitter_name") == NAMED) == sees
    assert (detail.get("submitter_contact") == PHONE) == sees
    # Only the office has the receipt code (it hands it to the submitter).
    assert ("receipt_code" in detail) == sees


def test_named_submitter_is_not_on_the_public_pages(world, client, named):
    group = services.group_create(
        actor=root_admin(), unit=world.county_a, opinions=[named], title="调研不深入"
    )
    group = services.group_claim(actor=root_admin(), group=group, kind=ClaimKind.BODY)
    group = services.group_answer(actor=root_admin(), group=group, answer="改进调研。")
    services.group_publish(actor=root_admin(), group=group)
    for url in (
        f"/public/units/{world.county_a.code}/",
        f"/public/opinions/receipt/?code={named.receipt_code}",
    ):
        page = client.get(url).content.decode()
        assert "改进调研。" in page and NAMED not in page and PHONE not in page


def test_the_database_refuses_an_anonymous_opinion_with_a_name(world):
    from django.core.exceptions import ValidationError

    opinion = services.opinion_create(
        actor=world.user("office"),
        unit=world.county_a,
        channel="box",
        category="other",
        text="意见",
        received_on=world.campaign.start_date,
        is_anonymous=True,
        submitter_name="不该保存",
    )
    assert opinion.submitter_name == ""
    opinion.submitter_name = "硬写进去"
    with pytest.raises(ValidationError, match="背靠背"):
        opinion.full_clean()
