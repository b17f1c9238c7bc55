"""Browser journeys: headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against
pytest-django's ``live_server``.

Each journey builds the shared ``world`` of tests/conftest.py (committed: ``live_server`` is
transactional, so the review chains the data migrations install are installed again), logs
its users in through the login form and acts only through the pages. Every page step is saved
as a full-page PNG under ``tests/e2e/screenshots/<test>/<nn>-<what>.png`` (ignored by git; CI
keeps the folder as an artifact).

Run them alone with ``pytest -m e2e``; leave them out with ``pytest -m "not e2e"``.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connections

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).parent / "screenshots"
PASSWORD = "pw-test-12345"  # tests.factories.UserFactory
TODAY = datetime.date(2014, 6, 20)
TIMEOUT_MS = 30_000  # generous: CI shares 2 cores


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return f"needs Chromium at {CHROMIUM} (Debian package `chromium`; set E2E_CHROMIUM to another path)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs the playwright Python package (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """The journeys (marked ``e2e`` in their modules) are skipped, visibly, without a browser."""
    reason = _skip_reason()
    if reason is None:
        return
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def browser(monkeypatch: Any, live_server: Any) -> Iterator[Any]:
    """A headless Chromium for one test. Playwright's sync API keeps an event loop running in
    this thread, so Django's guard against ORM calls from async code is lifted for the test
    (the test's own ORM calls are plain synchronous ones)."""
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--lang=zh-CN",
            ],
        )
        threads = threading.active_count()
        try:
            yield chromium
        finally:
            # While Playwright's loop runs, Django keeps this thread's connections in the
            # loop's context (asgiref.local): close them here, or PostgreSQL keeps a session
            # open on the test database until the end of the run.
            connections.close_all()
            chromium.close()
    # The live server serves each kept-alive browser connection in a thread that closes its
    # database connection when the socket closes: let them finish before the database is
    # flushed (PostgreSQL would otherwise see "other sessions" when it drops the test database).
    deadline = time.monotonic() + 5
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture
def e2e_world(transactional_db: Any, live_server: Any, settings: Any, tmp_path: Path) -> Any:
    """The shared world, committed for the live server, with the review chains, the campaign
    clock at 2014-06-20 and evidence files in a throwaway folder."""
    from materials.meeting_chains import install as install_meeting_chains
    from materials.standard_chains import install as install_material_chains
    from rectification.review_chains import install as install_plan_chains
    from tests.conftest import build_world

    settings.CAMPAIGN_CLOCK_DATE = TODAY
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    install_material_chains(apps)
    install_meeting_chains(apps)
    install_plan_chains(apps)
    return build_world()


class Journey:
    """Browser sessions of one test (one context per user) and its numbered screenshots."""

    def __init__(self, browser: Any, base_url: str, name: str) -> None:
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.folder = SCREENSHOTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def url(self, path: str) -> str:
        return self.base_url + path

    def page(self) -> Any:
        """A fresh browser session (its own cookies) in Chinese at a desktop width."""
        context = self.browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"JavaScript error on {page.url}: {error}"))
        page.on(
            "response",
            lambda response: (
                response.status >= 500 and self.errors.append(f"HTTP {response.status} on {response.url}")
            ),
        )
        return page

    def login(self, username: str, path: str = "/") -> Any:
        """A session of ``username``, logged in through the login form, on ``path``."""
        page = self.page()
        page.goto(self.url(path))
        if "/accounts/login/" not in page.url:
            page.goto(self.url(f"/accounts/login/?next={path}"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        self.shot(page, f"login-{username}")
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"{username} could not log in"
        return page

    def decide(self, username: str, action: str, opinion: str, what: str) -> Any:
        """``username`` opens his inbox (待我审核), the first thing waiting there, and decides on
        it with the shared decision form (materials, meeting plans, rectification plans)."""
        page = self.login(username)
        page.get_by_role("link", name="待我审核").first.click()
        page.wait_for_load_state()
        self.shot(page, f"{what}-inbox")
        page.locator("main table a[href*='#decision']").first.click()
        page.wait_for_load_state()
        decision = page.locator("#decision")
        decision.get_by_label(action, exact=True).check()
        decision.locator("textarea[name=opinion]").fill(opinion)
        checklist = decision.locator("input[name=checklist]")
        if checklist.count():
            checklist.first.check()
        self.shot(page, f"{what}-deciding")
        decision.get_by_role("button", name="确认办理").click()
        page.wait_for_load_state()
        self.shot(page, f"{what}-done")
        assert not page.locator(".messages .error, .form-errors").count(), flash(page)
        return page

    def shot(self, page: Any, what: str) -> Path:
        """Save a full-page screenshot as <nn>-<what>.png; fail on a server error page."""
        self.count += 1
        name = re.sub(r"[^\w.-]+", "-", what, flags=re.ASCII).strip("-")
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert not self.errors, self.errors
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        assert not self.errors, self.errors


@pytest.fixture
def journey(request: Any, browser: Any, live_server: Any, e2e_world: Any) -> Iterator[Journey]:
    trip = Journey(browser, live_server.url, request.node.name)
    yield trip
    trip.close()


def flash(page: Any) -> str:
    """The text of the page's messages (success, error, info)."""
    return " ".join(page.locator(".messages, .form-errors, [role=alert]").all_inner_texts())
