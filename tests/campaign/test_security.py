"""Deployment safeguards that hold in every mode: CSP, lockout of password guessing, admin for staff only."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lockout_on(settings):
    settings.AXES_ENABLED = True


def test_every_page_carries_a_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert (
        "default-src 'self'" in policy
        and "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
    )
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_api_docs_need_no_inline_script(world, as_user):
    page = as_user("office").get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")


def test_password_guessing_locks_the_username_from_that_address(world, client):
    user = world.user("office")
    user.set_password("correct-horse-2014")
    user.save()
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "office", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    assert response.status_code == 429 and "已暂时锁定" in response.content.decode()
    # Even the right password is refused from there for now ...
    locked = client.post(
        "/accounts/login/", {"username": "office", "password": "correct-horse-2014"}, REMOTE_ADDR="10.0.0.1"
    )
    assert locked.status_code == 429
    # ... but the same user from another address, and others from this one, are not affected.
    other = client.post(
        "/accounts/login/", {"username": "office", "password": "correct-horse-2014"}, REMOTE_ADDR="10.0.0.2"
    )
    assert other.status_code == 302
    client.logout()
    fine = client.post(
        "/accounts/login/", {"username": "member", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
    )
    assert fine.status_code == 200


def test_token_endpoint_is_protected_the_same_way(world, client):
    user = world.user("member")
    user.set_password("correct-horse-2014")
    user.save()
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "member", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    locked = client.post(
        "/api/auth/token/", {"username": "member", "password": "correct-horse-2014"}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code != 200 and "token" not in locked.json()
    elsewhere = client.post(
        "/api/auth/token/", {"username": "member", "password": "correct-horse-2014"}, REMOTE_ADDR="10.0.0.8"
    )
    assert "token" in elsewhere.json()


@pytest.mark.parametrize(("role", "status"), [("office", 302), ("superuser", 200), ("anonymous", 302)])
def test_admin_is_for_staff_only(as_user, role, status):
    response = as_user(role).get("/admin/")
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]
