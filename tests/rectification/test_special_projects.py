"""专项整治: top-down scope, per-unit plans, 评估验收 — 不合格 blocks the unit's closing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rectification import selectors, services
from rectification.choices import Acceptance, ProjectPlanAction
from tests.factories import make_unit
from units.choices import UnitKind
from units.models import Unit

pytestmark = pytest.mark.django_db
DUE = datetime.date(2014, 8, 31)


@pytest.fixture
def project(rect, world):
    return services.special_project_create(
        actor=rect.user("city_office"),
        unit=world.city,
        number=1,
        title="群众办事难",
        origin="省委确定的11个突出问题",
        scope_kinds=[UnitKind.COUNTY],
    )


def file(rect, project, unit, actor="office"):
    return services.special_project_plan_file(
        actor=rect.user(actor),
        project=project,
        unit=unit,
        lead_unit="县政务服务中心",
        responsible="县委、县政府",
        deadline=DUE,
        measures="清理办事事项，公开办事流程",
    )


def test_scope_by_kind_and_by_subtree(rect, world, project):
    assert list(selectors.projects_covering(world.county_a)) == [project]
    assert list(selectors.projects_covering(world.county_b)) == [project]
    assert list(selectors.projects_covering(world.town_a)) == []  # not a county
    assert list(selectors.projects_covering(world.province)) == []  # above the deploying office
    limited = services.special_project_create(
        actor=rect.user("city_office"),
        unit=world.city,
        number=2,
        title="村级财务不规范",
        scope_kinds=[UnitKind.VILLAGE],
        scope_units=[world.county_a],
    )
    assert limited in selectors.projects_covering(world.village_a)
    assert limited not in selectors.projects_covering(world.village_b)
    with pytest.raises(ValidationError, match="不在"):
        file(rect, limited, world.village_b, actor="city_office")
    with pytest.raises(PermissionDenied):
        services.special_project_create(actor=rect.user("office"), unit=world.city, title="越级部署")
    units = {u.code for u in selectors.project_units(rect.user("city_office"), project)}
    assert units == {world.county_a.code, world.county_b.code}
    assert {u.code for u in selectors.project_units(rect.user("office"), project)} == {world.county_a.code}


def test_failed_acceptance_blocks_closing(rect, world, project):
    plan = file(rect, project, world.county_a)
    other = file(rect, project, world.county_b, actor="office_b")
    # Only an office above the county accepts: not the county's own office, not its 班子, not a 督导组.
    for role in ("office", "principal", "supervisor", "office_b"):
        with pytest.raises(PermissionDenied):
            services.special_project_accept(
                actor=rect.user(role), plan=plan, version=plan.version, passed=False, reason="x"
            )
    with pytest.raises(ValidationError, match="必须写明原因"):
        services.special_project_accept(
            actor=rect.user("city_office"), plan=plan, version=plan.version, passed=False
        )
    with pytest.raises(ValidationError, match="尚未完成整治"):
        services.special_project_accept(
            actor=rect.user("city_office"), plan=plan, version=plan.version, passed=True
        )
    services.special_project_accept(
        actor=rect.user("city_office"),
        plan=plan,
        version=plan.version,
        passed=False,
        reason="抽查发现办事仍需多跑",
    )
    plan.refresh_from_db()
    assert plan.acceptance == Acceptance.FAILED
    assert selectors.failed_acceptance_unit_ids(Unit.objects.all()) == {world.county_a.pk}
    assert selectors.failed_acceptance_unit_ids([world.county_b]) == set()

    # The unit keeps working; a re-check that passes lifts the block, both checks stay on record.
    services.special_project_plan_report(
        actor=rect.user("principal"), plan=plan, version=plan.version, status="done", progress="全部整改到位"
    )
    plan.refresh_from_db()
    services.special_project_accept(
        actor=rect.user("city_office"), plan=plan, version=plan.version, passed=True
    )
    assert selectors.failed_acceptance_unit_ids([world.county_a, world.county_b]) == set()
    results = list(plan.events.filter(action=ProjectPlanAction.ACCEPT).values_list("result", flat=True))
    assert results == [Acceptance.FAILED, Acceptance.PASSED]
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="已验收合格"):
        file(rect, project, world.county_a)
    assert other.acceptance == Acceptance.PENDING


def test_failed_acceptance_selector_is_one_query(rect, world, project, django_assert_num_queries):
    units = [make_unit(world.city, UnitKind.COUNTY) for _ in range(10)]
    for unit in units[:4]:
        plan = file(rect, project, unit, actor="city_office")
        services.special_project_accept(
            actor=rect.user("superuser"), plan=plan, version=plan.version, passed=False, reason="不合格"
        )
    with django_assert_num_queries(1):
        failed = selectors.failed_acceptance_unit_ids(Unit.objects.filter(pk__in=[u.pk for u in units]))
    assert failed == {u.pk for u in units[:4]}


def test_progress_only_moves_forward_and_stale_forms_are_refused(rect, world, project):
    plan = file(rect, project, world.county_a)
    services.special_project_plan_report(
        actor=rect.user("office"), plan=plan, version=plan.version, status="in_progress", progress="已部署"
    )
    with pytest.raises(ValidationError, match="已被他人修改"):
        services.special_project_plan_report(
            actor=rect.user("office"), plan=plan, version=plan.version, status="done", progress="完成"
        )
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="只能向前推进"):
        services.special_project_plan_report(
            actor=rect.user("office"), plan=plan, version=plan.version, status="filed", progress="退回去"
        )
    with pytest.raises(PermissionDenied):
        services.special_project_plan_report(
            actor=rect.user("supervisor"),
            plan=plan,
            version=plan.version,
            status="done",
            progress="督导组代报",
        )


def test_project_pages(rect, world, project, as_user):
    client = as_user("office")
    url = f"/rectification/projects/{project.pk}/units/{world.county_a.code}/"
    response = client.post(
        url,
        {
            "action": "file",
            "lead_unit": "县政务服务中心",
            "responsible": "县委、县政府",
            "deadline": "2014-08-31",
            "measures": "推行一次性告知",
        },
    )
    assert response.status_code == 302
    plan = project.plans.get(unit=world.county_a)
    assert (
        as_user("office")
        .post(url, {"action": "accept", "version": plan.version, "result": "failed"})
        .status_code
        == 403
    )
    client = as_user("city_office")
    response = client.post(
        url, {"action": "accept", "version": plan.version, "result": "failed", "reason": ""}
    )
    assert "必须写明原因" in response.content.decode()
    response = client.post(
        url, {"action": "accept", "version": plan.version, "result": "failed", "reason": "整治不到位"}
    )
    assert response.status_code == 302
    page = as_user("principal").get(f"/rectification/units/{world.county_a.code}/projects/").content.decode()
    assert "不能召开总结大会" in page and "不合格" in page
    unit_page = as_user("principal").get(f"/units/{world.county_a.code}/").content.decode()
    assert "1 项验收不合格" in unit_page
    listing = as_user("city_office").get(f"/rectification/projects/{project.pk}/").content.decode()
    assert "甲县" in listing and "乙县" in listing and "未报方案" in listing
    assert as_user("office_b").get(url).status_code == 404
    assert as_user("village").get(f"/rectification/projects/{project.pk}/").status_code == 200
    # A unit outside the project's scope has no plan page.
    assert (
        as_user("office").get(f"/rectification/projects/{project.pk}/units/{world.town_a.code}/").status_code
        == 404
    )
    # Deploying needs the office of that level.
    assert as_user("office").get(f"/rectification/units/{world.city.code}/projects/add/").status_code == 404
    assert (
        as_user("supervisor").get(f"/rectification/units/{world.county_a.code}/projects/add/").status_code
        == 403
    )
    response = as_user("city_office").post(
        f"/rectification/units/{world.city.code}/projects/add/",
        {"number": 3, "title": "干部走读", "scope_kinds": ["township"], "scope_units": "A00"},
    )
    assert response.status_code == 302
    assert selectors.projects_covering(world.town_a).filter(title="干部走读").exists()
    assert not selectors.projects_covering(world.town_b).filter(title="干部走读").exists()
