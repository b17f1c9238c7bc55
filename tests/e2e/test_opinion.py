"""A citizen sends an opinion from the county's public page without an account and keeps the
receipt code; the office groups it, the 县委书记 claims it for the 班子 and drafts the answer,
the office publishes it, and the citizen reads the answer with his receipt code."""

from __future__ import annotations

import pytest

from stages.choices import GroupStatus
from stages.models import Opinion, OpinionGroup
from tests.e2e.conftest import flash

pytestmark = pytest.mark.e2e

TEXT = "县政务服务中心窗口午休时间不办事，群众跑了三趟才办成营业执照。"
ANSWER = "已取消窗口午休停办，实行错时延时服务；对相关窗口负责人进行了诫勉谈话。"


def test_citizen_submits_an_opinion_and_reads_its_answer(journey, e2e_world):
    world = e2e_world
    county = world.county_a
    citizen = journey.page()
    citizen.goto(journey.url(f"/public/units/{county.code}/"))
    journey.shot(citizen, "public-page")
    form = citizen.locator("form", has=citizen.get_by_role("button", name="提交意见"))
    category = form.locator("select").first
    category.select_option(index=1)
    form.locator("textarea").first.fill(TEXT)
    journey.shot(citizen, "opinion-filled")
    form.get_by_role("button", name="提交意见").click()
    citizen.wait_for_load_state()
    assert "您的意见已收到" in citizen.inner_text("main"), flash(citizen)
    journey.shot(citizen, "receipt-code")
    opinion = Opinion.objects.get()
    assert opinion.receipt_display in citizen.inner_text(".stages-receipt")
    receipt = citizen.locator(".stages-receipt").inner_text().strip()

    # The office groups it (a single opinion becomes a group of its own) and confirms it.
    office = journey.login("office", f"/opinions/units/{county.code}/")
    journey.shot(office, "office-register")
    office.get_by_role("link", name="梳理归并").first.click()
    office.wait_for_load_state()
    journey.shot(office, "sorting-board")
    office.locator("input[name=opinions]").first.check()
    office.locator("#board input[name=title]").fill("窗口午休不办事")
    office.get_by_role("button", name="所选意见归为一组").click()
    office.wait_for_load_state()
    journey.shot(office, "grouped")
    group = OpinionGroup.objects.get()
    if group.status == GroupStatus.PROPOSED:
        office.goto(journey.url(group.get_absolute_url()))
        office.get_by_role("button", name="确认归并").click()
        office.wait_for_load_state()
        group.refresh_from_db()

    # The 县委书记 claims it for the 班子 and drafts the answer.
    secretary = journey.login("principal", group.get_absolute_url())
    journey.shot(secretary, "group-for-secretary")
    secretary.get_by_role("link", name="认领", exact=True).click()
    secretary.wait_for_load_state()
    secretary.locator("input[name=kind][value=body]").check()
    journey.shot(secretary, "claim-form")
    secretary.locator("form button.primary").click()
    secretary.wait_for_load_state()
    journey.shot(secretary, "claimed")
    secretary.locator("a.button[href$='/answer/']").click()
    secretary.wait_for_load_state()
    secretary.locator("textarea[name=answer]").fill(ANSWER)
    journey.shot(secretary, "answer-form")
    secretary.locator("form button.primary").click()
    secretary.wait_for_load_state()
    journey.shot(secretary, "answered")
    group.refresh_from_db()
    assert group.status == GroupStatus.ANSWERED, group.status

    # Not published yet: the citizen sees no answer.
    citizen.goto(journey.url("/public/opinions/receipt/"))
    citizen.locator("input[name=code]").fill(receipt)
    citizen.locator("form button").first.click()
    citizen.wait_for_load_state()
    assert ANSWER not in citizen.inner_text("main")
    journey.shot(citizen, "receipt-before-answer")

    office.goto(journey.url(group.get_absolute_url()))
    office.locator("input[name=title]").fill("关于窗口午休不办事的意见")
    journey.shot(office, "publish-form")
    office.get_by_role("button", name="发布答复").click()
    office.wait_for_load_state()
    journey.shot(office, "published")
    group.refresh_from_db()
    assert group.status == GroupStatus.PUBLISHED, flash(office)

    citizen.reload()
    assert ANSWER in citizen.inner_text("main")
    journey.shot(citizen, "receipt-with-answer")
    citizen.goto(journey.url(f"/public/units/{county.code}/"))
    assert "关于窗口午休不办事的意见" in citizen.inner_text("main")
    journey.shot(citizen, "public-page-answers")
