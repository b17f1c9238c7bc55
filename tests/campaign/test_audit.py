"""The acting user is recorded whatever path a change takes: web, API, admin, Celery."""

import pytest
from rest_framework.authtoken.models import Token

from campaign.audit import acting_as, history_entries
from units.models import Post, Unit

pytestmark = pytest.mark.django_db


def last_user(obj):
    return obj.history.order_by("-history_date", "-history_id").first().history_user


def test_web_change_records_the_user(world, as_user):
    unit = world.town_a
    as_user("office").post(
        f"/units/{unit.code}/edit/", {"name": "甲镇W", "code": unit.code, "is_active": "on", "version": 1}
    )
    assert last_user(Unit.objects.get(pk=unit.pk)) == world.user("office")


def test_api_change_with_a_token_records_the_user(world, client):
    token = Token.objects.create(user=world.user("office"))
    unit = world.town_a
    response = client.put(
        f"/api/units/{unit.code}/",
        {"code": unit.code, "name": "甲镇API", "is_active": True, "version": unit.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 200, response.content
    assert last_user(Unit.objects.get(pk=unit.pk)) == world.user("office")


def test_admin_change_records_the_user(world, client):
    admin = world.user("superuser")
    client.force_login(admin)
    unit = world.town_a
    response = client.post(
        f"/admin/units/unit/{unit.pk}/change/", {"name": "甲镇Admin", "code": unit.code, "is_active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit.refresh_from_db()
    assert unit.name == "甲镇Admin" and last_user(unit) == admin


def test_admin_shows_a_broken_rule_as_a_form_error(world, client):
    client.force_login(world.user("superuser"))
    response = client.post(
        "/admin/units/unit/add/", {"parent_code": "A01", "name": "错层", "code": "ERR1", "kind": "county"}
    )
    assert response.status_code == 200
    assert "的上级必须是" in response.content.decode()
    assert not Unit.objects.filter(code="ERR1").exists()


def test_background_import_records_the_user_who_uploaded(world, as_user, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "单位编码,单位名称,单位类型,上级单位编码\nA09,甲县新镇,乡镇,A00\n"
    with django_capture_on_commit_callbacks(execute=True):
        as_user("office").post(
            "/units/import/", {"kind": "units_import", "file": SimpleUploadedFile("u.csv", text.encode())}
        )
    assert last_user(Unit.objects.get(code="A09")) == world.user("office")


def test_acting_as_attributes_service_calls_outside_requests(world):
    from units import services

    post = Post.objects.get(unit=world.county_a, title="县委常委")
    with acting_as(world.user("office")):
        services.post_end(actor=world.user("office"), post=post, end_date=post.start_date.replace(year=2014))
    assert last_user(post) == world.user("office")


def test_history_entries_are_field_by_field_and_in_chinese(world):
    unit = world.town_a
    from units import services

    services.unit_update(
        actor=world.user("office"), unit=unit, version=1, name="甲镇二", code=unit.code, is_active=False
    )
    newest = history_entries(Unit.objects.get(pk=unit.pk))[0]
    assert newest.action == "修改"
    assert {(c.label, c.old, c.new) for c in newest.changes} == {
        ("名称", "甲镇", "甲镇二"),
        ("在册", "是", "否"),
    }
