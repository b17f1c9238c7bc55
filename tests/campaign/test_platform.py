"""Health check, deployment settings, language, API schema and docs, the demo campaign."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


def test_healthz_says_when_the_broker_is_down(client, monkeypatch):
    from kombu import Connection

    from campaign.celery import app

    monkeypatch.setattr(app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "CAMPAIGN_ENV": "production",
        "SECRET_KEY": "x7" * 30 + "-a-long-random-looking-production-secret",
        "ALLOWED_HOSTS": "campaign.example.org",
        "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "CAMPAIGN_ENV": "production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_bad_environment_values_name_the_variable():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "perhaps"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_chinese_by_default_english_on_request(world, client):
    client.force_login(world.user("office"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "工作台" in page and 'lang="zh-hans"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Workbench" in page


def test_api_schema_and_docs(world, as_user):
    client = as_user("office")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/units/", "/api/people/", "/api/posts/", "/api/organizations/", "/api/jobs/"):
        assert path in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()


def test_token_login_for_api_clients(world, client):
    world.user("office").set_password("s3cret-pass-word")
    world.user("office").save()
    response = client.post("/api/auth/token/", {"username": "office", "password": "s3cret-pass-word"})
    token = response.json()["token"]
    listing = client.get("/api/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200 and listing.json()["count"] == 5


def test_english_catalogue_is_complete_and_compiled(tmp_path):
    import gettext
    import shutil

    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    po = ROOT / "locale/en/LC_MESSAGES/django.po"
    for selector in ("--untranslated", "--only-fuzzy"):
        missing = subprocess.run(["msgattrib", selector, str(po)], capture_output=True, text=True, check=True)
        assert missing.stdout.count("msgid") == 0, missing.stdout
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(po)], check=True)
    with fresh.open("rb") as a, (po.parent / "django.mo").open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
            "run `make messages`"
        )


def test_every_string_in_the_code_is_in_the_english_catalogue(tmp_path, settings):
    """A string added to the code but not to the catalogue would show in Chinese to English users."""
    import shutil

    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (gettext) is not installed")
    # makemessages writes into every `locale/` it finds above the files it reads, so it runs on a
    # copy of the sources: the test must not touch the real catalogue.
    src = tmp_path / "src"
    shutil.copytree(
        ROOT, src, ignore=shutil.ignore_patterns(".*", "var", "tests", "static", "*.mo", "__pycache__")
    )
    settings.LOCALE_PATHS = [src / "locale"]
    cwd = os.getcwd()
    os.chdir(src)  # makemessages walks the current directory
    try:
        call_command("makemessages", locale=["en"], verbosity=0)
    finally:
        os.chdir(cwd)
    fresh = src / "locale/en/LC_MESSAGES/django.po"
    for selector in ("--untranslated", "--only-fuzzy"):
        missing = subprocess.run(
            ["msgattrib", selector, str(fresh)], capture_output=True, text=True, check=True
        )
        assert missing.stdout.count("msgid") == 0, (
            "run `make messages` and translate:\n" + missing.stdout[:3000]
        )


def test_the_campaign_clock_can_be_set_for_demos_and_tests(settings):
    import datetime

    from campaign import clock

    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    assert clock.today() == datetime.date(2014, 6, 20)
    assert clock.now().date() == datetime.date(2014, 6, 20) and clock.now().tzinfo is not None
    settings.CAMPAIGN_CLOCK_DATE = None
    assert clock.today().year >= 2025
