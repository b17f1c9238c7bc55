"""整改落实 of a village: the village secretary files his 问题清单 with one item and sends it up,
the county office approves it, the secretary reports progress with an evidence file and asks
for 销号, the 督导组 signs it off, and the public page of the village shows the item."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectification.choices import ItemStatus
from rectification.models import RectificationItem, RectificationPlan
from tests.e2e.conftest import flash

pytestmark = pytest.mark.e2e

# A 1×1 PNG: the evidence is checked by content, not by its name.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def test_item_filed_evidenced_signed_off_and_public(journey, e2e_world, tmp_path: Path):
    world = e2e_world
    village = world.village_a
    page = journey.login("village", village.get_absolute_url())
    journey.shot(page, "village-unit-page")
    page.get_by_role("link", name="整改台账").first.click()
    page.wait_for_load_state()
    journey.shot(page, "ledger-empty")
    page.get_by_role("link", name="制定整改方案").click()
    page.wait_for_load_state()
    page.locator("input[name=title]").fill("甲村问题清单")
    page.locator("textarea[name=summary]").fill("围绕群众反映最强烈的村道、饮水问题逐项整改。")
    journey.shot(page, "plan-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    journey.shot(page, "plan-created")
    plan = RectificationPlan.objects.get(unit=village)

    page.get_by_role("link", name="新增清单事项").click()
    page.wait_for_load_state()
    page.locator("textarea[name=problem]").fill("村东头道路泥泞，雨天群众出行难。")
    page.locator("textarea[name=measure]").fill("争取一事一议资金，硬化村东道路800米。")
    page.locator("textarea[name=target]").fill("7月底前完成硬化，群众出行不再难。")
    page.locator("input[name=responsible_unit]").fill("甲村村民委员会")
    page.locator("select[name=handling]").select_option("deadline")
    page.locator("input[name=deadline]").fill("2014-07-31")
    journey.shot(page, "item-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    assert not page.locator(".has-error").count(), flash(page)
    journey.shot(page, "item-created")
    item = RectificationItem.objects.get(plan=plan)

    page.goto(journey.url(plan.get_absolute_url()))
    page.get_by_role("link", name="报送审核").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="报送").click()
    page.wait_for_load_state()
    assert "方案已报送审核" in flash(page)
    journey.shot(page, "plan-submitted")

    # The county office (the office above the village) approves the list from its inbox.
    office = journey.login("office")
    office.get_by_role("link", name="待我审核").first.click()
    office.wait_for_load_state()
    journey.shot(office, "office-inbox")
    office.locator("a[href*='/rectification/plans/']").first.click()
    office.wait_for_load_state()
    decision = office.locator("#decision")
    decision.get_by_label("通过", exact=True).check()
    decision.locator("textarea[name=opinion]").fill("同意，问题清单聚焦群众关切。")
    journey.shot(office, "office-deciding")
    decision.get_by_role("button", name="确认办理").click()
    office.wait_for_load_state()
    journey.shot(office, "plan-approved")
    plan.refresh_from_db()
    assert plan.status == "approved", plan.status

    # Progress with evidence, then the request for 销号.
    page.goto(journey.url(item.get_absolute_url()))
    page.get_by_role("link", name="报告进展").click()
    page.wait_for_load_state()
    page.locator("textarea[name=text]").fill("道路硬化已完工，经村民代表验收。")
    photo = tmp_path / "竣工照片.png"
    photo.write_bytes(PNG)
    page.locator("input[name=attachments]").set_input_files(str(photo))
    journey.shot(page, "progress-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_load_state()
    journey.shot(page, "progress-reported")
    item.refresh_from_db()
    assert item.evidence_count == 1
    page.get_by_role("link", name="申请销号").click()
    page.wait_for_load_state()
    page.locator("textarea[name=note]").fill("已按期完成，请予销号。")
    page.locator("form button.primary").click()
    page.wait_for_load_state()
    journey.shot(page, "close-requested")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSE_REQUESTED, item.status

    # The owner cannot sign his own item off; the 督导组 can.
    assert not page.get_by_role("link", name="销号", exact=True).count()
    supervisor = journey.login("supervisor", item.get_absolute_url())
    journey.shot(supervisor, "supervisor-item")
    supervisor.get_by_role("link", name="销号", exact=True).click()
    supervisor.wait_for_load_state()
    supervisor.locator("textarea[name=note]").fill("经实地查看，道路已硬化，同意销号。")
    supervisor.locator("form button.primary").click()
    supervisor.wait_for_load_state()
    journey.shot(supervisor, "signed-off")
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED

    public = journey.page()
    public.goto(journey.url(f"/public/units/{village.code}/"))
    text = public.inner_text("main")
    assert "硬化村东道路800米" in text and "甲村问题清单" in text, text
    assert "竣工照片.png" not in public.content()
    journey.shot(public, "public-page")
