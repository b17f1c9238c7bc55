"""A 班子 member writes his 对照检查材料 and submits it; the 县委书记 and the 督导组 pass it, the
市委活动办 returns it; the member revises and resubmits and it comes back in at the 活动办."""

from __future__ import annotations

import pytest

from materials.choices import MaterialStatus, StepState
from materials.models import Material, ReviewStep
from tests.e2e.conftest import flash
from tests.materials.stage2 import city_office

pytestmark = pytest.mark.e2e


def write_material(page, round_: int) -> None:
    """Fill every section of the editor: overviews, the first 具体事例 of each part, causes,
    measures and statements."""
    editor = page.locator("form.material-editor")
    for index, area in enumerate(editor.locator("textarea").all()):
        area.fill(f"第{round_}稿：本人在这方面的具体问题和说明之{index + 1}，具体到事、到人。")
    for index, box in enumerate(editor.locator("input[name$='-0-text']").all()):
        box.fill(f"第{round_}稿具体事例{index + 1}：2013年下乡调研走马观花，未解决群众实际问题。")


def open_step_name(material: Material) -> str:
    material.refresh_from_db()
    step = ReviewStep.objects.get(review=material.review, round=material.review.round, state=StepState.OPEN)
    return step.name


def test_member_writes_two_pass_one_returns_and_he_resubmits(journey, e2e_world):
    city_office(e2e_world)
    page = journey.login("member")
    page.get_by_role("link", name="对照检查材料").first.click()
    page.wait_for_load_state()
    journey.shot(page, "my-materials")
    page.get_by_role("button", name="开始撰写").first.click()
    page.wait_for_url("**/edit/")
    journey.shot(page, "editor-empty")
    write_material(page, 1)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state()
    journey.shot(page, "editor-saved")
    page.get_by_role("button", name="保存并准备提交").click()
    page.wait_for_url("**/submit/")
    journey.shot(page, "submit-check")
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_load_state()
    assert "材料已提交审核" in flash(page)
    journey.shot(page, "submitted")
    material = Material.objects.get()
    assert material.status == MaterialStatus.IN_REVIEW
    assert open_step_name(material) == "县（区）委书记审核"

    journey.decide("principal", "通过", "同意，问题找得准。", "secretary")
    assert open_step_name(material) == "市委督导组审核"
    journey.decide("supervisor", "通过", "同意。", "supervisor")
    assert open_step_name(material) == "市委活动办审核"
    journey.decide("city_office", "退回修改", "“奢靡之风”事例不够具体，请修改。", "city-office-return")
    material.refresh_from_db()
    assert material.status == MaterialStatus.RETURNED

    page = journey.login("member", material.get_absolute_url())
    assert "不够具体" in page.inner_text("main")
    journey.shot(page, "returned")
    page.get_by_role("link", name="修改", exact=True).click()
    page.wait_for_url("**/edit/")
    write_material(page, 2)
    page.get_by_role("button", name="保存并准备提交").click()
    page.wait_for_url("**/submit/")
    journey.shot(page, "resubmit-check")
    page.get_by_role("button", name="确认提交").click()
    page.wait_for_load_state()
    assert "材料已提交审核" in flash(page)
    journey.shot(page, "resubmitted")
    material.refresh_from_db()
    assert material.status == MaterialStatus.IN_REVIEW and material.versions.count() == 2
    # It comes back in at the step that returned it.
    assert open_step_name(material) == "市委活动办审核"

    page.goto(journey.url(f"/materials/{material.pk}/compare/"))
    journey.shot(page, "compare-versions")
