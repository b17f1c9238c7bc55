"""进度看板: figures equal direct counts on a random subtree, fixed query counts, .xlsx export,
access per role, and the API."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from campaign import clock, figures
from campaign.choices import StageStatus
from campaign.dashboard import dashboard
from campaign.models import Gate, StageCalendar, UnitStage
from campaign.selectors import gate_checks_for_subtree, subtree_overview
from rectification import services as rect_services
from rectification.choices import Handling, ItemStatus
from rectification.models import RectificationItem
from stages.models import Opinion
from tests.campaign.conftest import PROVINCE_CALENDAR, TODAY, add_villages
from tests.factories import UserFactory, root_admin
from tests.stages.conftest import make_opinion
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    """Count afresh on every call (the cache has its own test below)."""
    settings.DASHBOARD_CACHE_SECONDS = 0


ROLES = ["office", "office_b", "supervisor", "principal", "member", "village", "outsider", "superuser"]
# Who may open county A's dashboard, and whether he sees the units below it.
SEES_COUNTY_A = {"office": True, "supervisor": True, "principal": True, "member": False, "superuser": True}


def _random_data(staged: Any, rng: random.Random, villages: int, prefix: str = "R") -> None:
    """Villages under both towns, units moved to random stages, items and opinions at random units."""
    w = staged.world
    admin = root_admin()
    add_villages(admin, w.town_a.code, f"{prefix}A", villages)
    add_villages(admin, w.town_b.code, f"{prefix}B", villages)
    from campaign import services

    services.campaign_open(actor=admin, campaign=staged.campaign, root=w.province)
    if not StageCalendar.objects.filter(unit=w.county_a).exists():
        # County A keeps its own calendar, a week later than the province's: the CASE path.
        shifted = {
            k: v + datetime.timedelta(days=7) if isinstance(v, datetime.date) else v
            for k, v in PROVINCE_CALENDAR.items()
        }
        services.calendar_set(actor=admin, campaign=staged.campaign, unit=w.county_a, **shifted)
    states = list(UnitStage.objects.filter(campaign=staged.campaign).select_related("unit", "campaign"))
    for state in states:
        for _ in range(rng.randint(0, 4 - state.position)):
            try:
                state = services.unit_stage_advance(
                    actor=admin, unit_stage=state, from_position=state.position
                )
            except ValidationError:
                break  # a gate set by an earlier call holds the unit
    units = [s.unit for s in states]
    for unit in rng.sample(units, 3):
        # A few units get their own window (judged one by one).
        start = TODAY - datetime.timedelta(days=rng.randint(20, 60))
        end = TODAY + datetime.timedelta(days=rng.randint(-15, 15))
        services.window_override_set(
            actor=admin,
            campaign=staged.campaign,
            unit=unit,
            stage=rng.randint(1, 3),
            start=start,
            end=max(start, end),
            reason="延时补课",
        )
    signer = UserFactory(username=f"signer{rng.random()}", is_superuser=True, is_staff=True)
    for _ in range(villages * 2):
        unit = rng.choice(units)
        handling = rng.choice(list(Handling))
        item = rect_services.item_create(
            actor=admin,
            unit=unit,
            problem="会议多、文件多",
            measure="精简会议文件",
            target="会议减少三分之一",
            responsible_unit="办公室",
            handling=handling,
            explanation="条件暂不具备" if handling == Handling.NOT_YET else "",
            deadline=TODAY + datetime.timedelta(days=rng.randint(0, 20)),
        )
        fate = rng.random()
        if fate < 0.5:
            rect_services.item_report_progress(actor=admin, item=item, text="已经开始整改")
        if 0.25 < fate < 0.5:
            item.refresh_from_db()
            item = rect_services.item_request_close(actor=admin, item=item, version=item.version)
            if rng.random() < 0.5:
                rect_services.item_sign_off(actor=signer, item=item, version=item.version)
        if fate > 0.9:
            item.refresh_from_db()
            rect_services.item_withdraw(actor=admin, item=item, version=item.version, reason="重复立项")
    for _ in range(villages):
        make_opinion(rng.choice(units), f"意见{rng.random()}")
    _talks_surveys_and_gates(staged, rng, units)


def _talks_surveys_and_gates(staged: Any, rng: random.Random, units: list[Unit]) -> None:
    """Some of county A's "四必谈" done, two rounds of surveys (the second redoes some targets),
    an opinion answered by an item, and gates set once the units have moved (they would block)."""
    from materials import talk_selectors, talk_services
    from stages import services as stage_services
    from stages.choices import SurveyPurpose
    from tests.materials.stage2 import DAY as TALK_DAY
    from tests.materials.stage2 import POINTS, user_of
    from tests.stages.conftest import at, votes

    w = staged.world
    admin = root_admin()
    missing = talk_selectors.talk_coverage([w.county_a])[w.county_a.pk].missing
    for requirement in missing[: rng.randint(1, len(missing))]:
        if requirement.other is None:
            coverage = talk_selectors.talk_coverage([w.county_a])[w.county_a.pk]
            seat_ = coverage.group_seats[0]
            recorder, counterpart, group = seat_.person, requirement.member, seat_.organization
        else:
            recorder, counterpart, group = requirement.member, requirement.other, None
        talk = talk_services.talk_record(
            actor=user_of(recorder),
            campaign=staged.campaign,
            unit=w.county_a,
            counterpart=counterpart,
            group=group,
            held_on=TALK_DAY - datetime.timedelta(days=3),
            points=POINTS,
        )
        if rng.random() < 0.7:
            talk_services.talk_confirm(actor=user_of(counterpart), talk=talk, version=talk.version)
    first_targets = rng.sample(units, 4)
    for round_, targets in enumerate((first_targets, [*rng.sample(first_targets, 2), rng.choice(units)])):
        survey = stage_services.survey_create(
            actor=admin,
            unit=w.province,
            title=f"群众评价{round_}",
            purpose=SurveyPurpose.STAGE_ONE if round_ == 0 else SurveyPurpose.FINAL,
            mode="respondents",
            opens_at=at(TODAY - datetime.timedelta(days=2)),
            closes_at=at(TODAY + datetime.timedelta(days=5), 18),
            targets=list(dict.fromkeys(targets)),
        )
        survey = stage_services.survey_open(actor=admin, survey=survey)
        for target in survey.targets.all():
            votes(survey, target, {"满意": rng.randint(0, 4), "不满意": rng.randint(1, 3)})
        stage_services.survey_close(actor=admin, survey=survey)
    opinion = make_opinion(rng.choice(units), "答复过的意见")
    rect_services.item_create(
        actor=admin,
        unit=opinion.unit,
        problem="答复意见",
        measure="措施",
        target="目标",
        responsible_unit="办公室",
        handling=Handling.NOW,
        deadline=TODAY + datetime.timedelta(days=5),
        sources=[("opinion", opinion.pk)],
    )
    from campaign import services

    if Gate.objects.filter(campaign=staged.campaign).exists():
        return
    services.gate_create(
        actor=admin, campaign=staged.campaign, stage=1, condition="study_sessions_min", params={"min": 1}
    )
    services.gate_create(actor=admin, campaign=staged.campaign, stage=2, condition="talks_complete")


def _direct(staged: Any, unit: Unit) -> dict[str, Any]:
    """The same figures counted directly, one query per figure, for ``unit``'s subtree."""
    today = clock.today()
    states = UnitStage.objects.filter(campaign=staged.campaign, unit_path__startswith=unit.path)
    items = RectificationItem.objects.filter(unit_path__startswith=unit.path).exclude(
        status=ItemStatus.WITHDRAWN
    )
    working = [ItemStatus.OPEN, ItemStatus.IN_PROGRESS]
    return {
        "units": states.count(),
        "pos0": states.filter(status=StageStatus.NOT_STARTED).count(),
        "pos1": states.filter(status=StageStatus.IN_PROGRESS, stage=1).count(),
        "pos2": states.filter(status=StageStatus.IN_PROGRESS, stage=2).count(),
        "pos3": states.filter(status=StageStatus.IN_PROGRESS, stage=3).count(),
        "pos4": states.filter(status=StageStatus.FINISHED).count(),
        "late": subtree_overview(root_admin(), staged.campaign, unit, page_size=10_000).late_count,
        "items": items.count(),
        **{f"i_{s}": items.filter(status=s).count() for s in ItemStatus.values if s != ItemStatus.WITHDRAWN},
        **{f"h_{h}": items.filter(handling=h).count() for h in Handling.values},
        "i_red": items.filter(status__in=working, deadline__lt=today).count(),
        "i_yellow": items.filter(
            status__in=working, deadline__gte=today, deadline__lte=today + datetime.timedelta(days=3)
        ).count(),
        "opinions": Opinion.objects.filter(campaign=staged.campaign, unit_path__startswith=unit.path).count(),
        **_direct_gates_talks_sources(staged, unit),
        **_direct_satisfaction(staged, unit),
    }


def _direct_gates_talks_sources(staged: Any, unit: Unit) -> dict[str, int]:
    """Gates, "四必谈" and unanswered sources, one unit at a time with the selectors the pages use."""
    from materials.talk_selectors import requires_talks, talk_coverage
    from rectification.source_registry import providers, unanswered

    states = list(
        UnitStage.objects.filter(campaign=staged.campaign, unit_path__startswith=unit.path).select_related(
            "unit"
        )
    )
    checks = gate_checks_for_subtree(staged.campaign, unit)
    working = [s for s in states if s.status == StageStatus.IN_PROGRESS]
    blocked = [s for s in working if any(c.blocking for c in checks[s.unit_id])]
    result = {"gates_met": len(working) - len(blocked), "gates_unmet": len(blocked)}
    coverage = [talk_coverage([s.unit])[s.unit_id] for s in states if requires_talks(s.unit)]
    result["talks_required"] = sum(c.total for c in coverage)
    result["talks_done"] = sum(c.done for c in coverage)
    result["talk_units_complete"] = sum(1 for c in coverage if c.complete)
    result["talk_units_incomplete"] = sum(1 for c in coverage if not c.complete)
    units = [s.unit for s in states]
    result["sources_unanswered"] = sum(unanswered(p, units).count() for p in providers().values())
    return result


def _direct_satisfaction(staged: Any, unit: Unit) -> dict[str, int]:
    """Each target's latest result (latest computed, then latest written), items' ratings aside."""
    from stages.choices import SurveyPurpose
    from stages.models import SurveyResult

    latest: dict[int, SurveyResult] = {}
    for result in (
        SurveyResult.objects.filter(survey__campaign=staged.campaign, unit_path__startswith=unit.path)
        .exclude(survey__purpose=SurveyPurpose.ITEM)
        .order_by("unit_id", "-computed_at", "-pk")
    ):
        latest.setdefault(result.unit_id, result)
    return {
        "votes": sum(r.answered for r in latest.values()),
        "votes_satisfied": sum(r.satisfied for r in latest.values()),
        "below_threshold": sum(1 for r in latest.values() if r.below_threshold),
    }


@pytest.mark.parametrize("seed", [1, 2014])
def test_figures_equal_direct_counts_on_a_random_subtree(staged, settings, seed):
    rng = random.Random(seed)
    _random_data(staged, rng, villages=rng.randint(4, 9))
    # Ten days later some deadlines have passed (逾期) and some are close (临期).
    settings.CAMPAIGN_CLOCK_DATE = TODAY + datetime.timedelta(days=10)
    w = staged.world
    admin = root_admin()
    for root in (w.province, w.city, w.county_a):
        board = dashboard(admin, staged.campaign, root)
        assert board.subtree
        children = {r.unit.pk: r for r in board.rows}
        assert set(children) == set(
            Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1).values_list("pk", flat=True)
        )
        direct_total = _direct(staged, root)
        for key, value in direct_total.items():
            assert board.totals[key] == value, (root.name, key)
        for row in board.rows:
            direct = _direct(staged, row.unit)
            for key, value in direct.items():
                assert row.values[key] == value, (row.unit.name, key)
        # The root's own records, plus every child, make the total.
        for key in direct_total:
            assert board.own[key] + sum(r.values[key] for r in board.rows) == board.totals[key]
    board = dashboard(admin, staged.campaign, w.province)
    assert board.totals["late"] > 0
    # The new figures are not trivially zero on this data.
    for key in (
        "gates_met",
        "gates_unmet",
        "talks_required",
        "talk_units_incomplete",
        "sources_unanswered",
        "votes",
    ):
        assert board.totals[key] > 0, key


def test_stage_states_are_the_instances_select_related_made(staged, django_assert_num_queries):
    """The shared stage states are built from one ``values_list``: the same rows, every field of
    both models loaded (touching one costs no query), and gates, talks and sources count the same
    as from the ``select_related`` instances they replace."""
    _random_data(staged, random.Random(3), villages=5)
    from campaign import gates, services

    # Every registered condition at every stage, so that every evaluator reads the new instances.
    for condition in gates.conditions():
        for stage in (1, 2, 3):
            if (
                not condition.builtin
                and not Gate.objects.filter(
                    campaign=staged.campaign, stage=stage, condition=condition.key
                ).exists()
            ):
                services.gate_create(
                    actor=root_admin(), campaign=staged.campaign, stage=stage, condition=condition.key
                )
    w = staged.world
    for root in (w.province, w.county_a):
        ctx = figures.FigureContext(campaign=staged.campaign, root=root, subtree=True)
        with django_assert_num_queries(1):
            states = ctx.stage_states()
        expected = list(
            UnitStage.objects.filter(campaign=staged.campaign, unit_path__startswith=root.path)
            .select_related("unit")
            .order_by("unit_path")
        )
        assert len(states) > 5
        assert [s.pk for s in states] == [s.pk for s in expected]
        with django_assert_num_queries(0):
            for state, old in zip(states, expected, strict=True):
                assert type(state) is UnitStage and type(state.unit) is Unit
                assert state.__dict__.keys() - {"_state"} == old.__dict__.keys() - {"_state"}
                for model, new_obj, old_obj in ((UnitStage, state, old), (Unit, state.unit, old.unit)):
                    for f in model._meta.concrete_fields:
                        assert getattr(new_obj, f.attname) == getattr(old_obj, f.attname), f.attname
                    assert not new_obj.get_deferred_fields()
                    assert (new_obj._state.adding, new_obj._state.db) == (False, old_obj._state.db)
                    assert new_obj == old_obj
        before = figures.FigureContext(campaign=staged.campaign, root=root, subtree=True)
        before.memo["stage_states"] = expected
        for provider in figures.all_providers():
            if provider.name in ("gates", "talk_coverage", "sources"):
                assert provider.rows(ctx) == provider.rows(before), provider.name


def test_the_collector_is_held_off_while_counting_and_restored(staged, monkeypatch):
    """The figures are computed with the cyclic garbage collector paused, which is as it was after."""
    import gc

    seen = []
    gates_provider = next(p for p in figures.all_providers() if p.name == "gates")
    counting = gates_provider.rows
    monkeypatch.setattr(gates_provider, "rows", lambda ctx: seen.append(gc.isenabled()) or counting(ctx))
    admin = root_admin()
    assert gc.isenabled()
    dashboard(admin, staged.campaign, staged.world.city)
    assert gc.isenabled()
    gc.disable()
    try:
        dashboard(admin, staged.campaign, staged.world.city)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == [False, False]


def _count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_is_fixed_whatever_the_size(staged, client, django_assert_max_num_queries):
    """Page, table export and API cost the same number of queries for 2 or 40 villages more."""
    w = staged.world
    client.force_login(w.user("superuser"))
    urls = [
        reverse("campaign:dashboard", args=[w.province.code]),
        reverse("campaign:dashboard_export", args=[w.province.code]) + "?sort=late",
        f"/api/dashboards/{w.province.code}/",
    ]
    _random_data(staged, random.Random(5), villages=2)
    small = [_count_queries(client, url) for url in urls]
    _random_data(staged, random.Random(6), villages=40, prefix="S")
    large = [_count_queries(client, url) for url in urls]
    assert small == large, (small, large)
    # Page: session + user (2), scope (1), unit (1), campaign (1), children (1), stage figures
    # (calendars, grouped states, overrides, states of the units with overrides, open 限期整改: 5),
    # opinions / groups / latest survey results (3), materials / open steps (2), talks / meetings /
    # reports (3), items / 专项整治 plans (2), ancestors for the breadcrumb (1; none at the
    # province), open steps by name (1), charts: stage events (1), items opened / closed (2) — 26;
    # then the figures that need the participating units: their stage states (1, shared), the
    # gates (1) and their evaluators (here 四必谈 5, open 限期整改 1, study sessions 1: they depend
    # on which gates the campaign sets, not on the number of units), the 四必谈 counts (5) and
    # the unanswered sources (one UNION ALL over the source providers: 1) — 15 more, 41 (40 at
    # the province, which has no ancestors).
    with django_assert_max_num_queries(41):
        client.get(urls[0])
    # The export: the same without the breakdown and the charts — 37.
    with django_assert_max_num_queries(37):
        client.get(urls[1])
    county = reverse("campaign:dashboard", args=[w.county_a.code])
    with django_assert_max_num_queries(41):
        client.get(county)


def test_xlsx_export_holds_the_table(staged, client):
    w = staged.world
    _random_data(staged, random.Random(3), villages=3)
    client.force_login(w.user("superuser"))
    response = client.get(reverse("campaign:dashboard_export", args=[w.city.code]) + "?sort=items")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:3] == ["排名", "单位", "单位类型"]
    board = dashboard(w.user("superuser"), staged.campaign, w.city, sort="items")
    assert [r[1] for r in rows[1:-2]] == [r.unit.name for r in board.rows]
    assert {r[1] for r in rows[1:-2]} == {"甲县", "乙县"}
    items_col = header.index("整改落实·整改事项")
    for line, row in zip(rows[1:-2], board.rows, strict=True):
        assert line[items_col] == row.values["items"]
    # The figures of issue 9 are columns of the table too, totals equal to the board's.
    for title, key in (
        ("环节闸门·闸门全部满足", "gates_met"),
        ("环节闸门·有闸门未满足", "gates_unmet"),
        ("四必谈·应谈人次", "talks_required"),
        ("四必谈·四必谈完成率（%）", "talks_rate"),
        ("四必谈·谈话未全覆盖班子", "talk_units_incomplete"),
        ("四个回应·未回应的问题来源", "sources_unanswered"),
        ("征求意见和群众评价·群众满意率（%）", "satisfaction"),
    ):
        assert rows[-1][header.index(title)] == ("" if board.totals[key] is None else board.totals[key])
    assert rows[-2][1] == "测试市（本级）"
    assert rows[-1][1] == "合计"
    assert (
        rows[-1][items_col]
        == RectificationItem.objects.filter(unit_path__startswith=w.city.path)
        .exclude(status=ItemStatus.WITHDRAWN)
        .count()
    )
    # Ranked by the column: best first (more items first), rank 1 on the first line.
    assert rows[1][0] == 1
    assert rows[1][items_col] >= rows[2][items_col]


@pytest.mark.parametrize("role", ROLES)
def test_access_per_role(staged, client, role):
    w = staged.world
    client.force_login(w.user(role))
    url = reverse("campaign:dashboard", args=[w.county_a.code])
    response = client.get(url)
    api = client.get(f"/api/dashboards/{w.county_a.code}/")
    export = client.get(reverse("campaign:dashboard_export", args=[w.county_a.code]))
    if role not in SEES_COUNTY_A:
        assert response.status_code == api.status_code == export.status_code == 404
        return
    assert response.status_code == api.status_code == export.status_code == 200
    assert response.context["board"].subtree is SEES_COUNTY_A[role]
    names = [c["name"] for c in api.json()["children"]]
    if SEES_COUNTY_A[role]:
        assert "甲镇" in names
        assert "甲镇" in response.content.decode()
    else:
        # A 班子 member sees his unit's own figures only: no children, no figures from below.
        assert names == []
        assert "您只能查看本单位的数据" in response.content.decode()
        assert api.json()["totals"]["units"] == 1


def test_anonymous_is_sent_to_login(staged, client):
    response = client.get(reverse("campaign:dashboard", args=[staged.world.county_a.code]))
    assert response.status_code == 302
    assert client.get(f"/api/dashboards/{staged.world.county_a.code}/").status_code in (401, 403)


def test_home_redirects_to_the_top_unit_and_links_exist(staged, client):
    w = staged.world
    client.force_login(w.user("office"))
    response = client.get(reverse("campaign:dashboard_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:dashboard", args=[w.county_a.code])
    assert (
        reverse("campaign:dashboard", args=[w.county_a.code]) in client.get(reverse("home")).content.decode()
    )
    unit_page = client.get(reverse("units:detail", args=[w.county_a.code])).content.decode()
    assert reverse("campaign:dashboard", args=[w.county_a.code]) in unit_page
    client.force_login(w.user("outsider"))
    assert client.get(reverse("campaign:dashboard_home")).status_code == 200


def test_sort_rank_and_kind_filter(staged, client):
    w = staged.world
    _random_data(staged, random.Random(9), villages=3)
    client.force_login(w.user("office"))
    url = reverse("campaign:dashboard", args=[w.county_a.code])
    board = client.get(url, {"sort": "pos0", "dir": "asc"}).context["board"]
    values = [r.values["pos0"] for r in board.rows]
    assert values == sorted(values)
    assert board.rows[0].rank == 1
    board = client.get(url, {"kind": "township"}).context["board"]
    assert [r.unit.name for r in board.rows] == ["甲镇"]
    page = client.get(url).content.decode()
    assert reverse("campaign:dashboard", args=[w.town_a.code]) in page
    assert 'id="dashboard-data"' in page and "vendor/echarts/echarts.min.js" in page
    # Unknown sort keys and directions are ignored, not errors.
    assert client.get(url, {"sort": "nonsense", "dir": "sideways", "kind": "x"}).status_code == 200


def test_api_returns_totals_children_and_charts(staged, client):
    w = staged.world
    _random_data(staged, random.Random(4), villages=3)
    client.force_login(w.user("superuser"))
    data = client.get(f"/api/dashboards/{w.city.code}/", {"sort": "late"}).json()
    board = dashboard(w.user("superuser"), staged.campaign, w.city, sort="late")
    assert data["totals"]["units"] == board.totals["units"]
    new_keys = {"gates_met", "gates_unmet", "talks_required", "talks_done", "talks_rate"}
    new_keys |= {"talk_units_complete", "talk_units_incomplete", "sources_unanswered"}
    assert new_keys <= {c["key"] for c in data["columns"] if c["in_table"]}
    for key in new_keys:
        assert data["totals"][key] == board.totals[key]
        assert [c["values"][key] for c in data["children"]] == [r.values[key] for r in board.rows]
    assert [c["code"] for c in data["children"]] == [r.unit.code for r in board.rows]
    assert {c["key"] for c in data["charts"]} == {"stage_progress", "items_weekly", "satisfaction"}
    progress = next(c for c in data["charts"] if c["key"] == "stage_progress")
    # The last week of the replayed stage events equals today's units per stage.
    assert [s["data"][-1] for s in progress["series"]] == [board.totals[f"pos{i}"] for i in range(5)]
    schema = client.get("/api/schema/").content.decode()
    assert "/api/dashboards/{code}/" in schema


def test_cached_figures_are_shared_and_refreshed_by_the_office(staged, client, settings):
    from django.core.cache import cache

    from campaign.tasks import dashboard_warm_task

    settings.DASHBOARD_CACHE_SECONDS = 300
    cache.clear()
    w = staged.world
    url = reverse("campaign:dashboard", args=[w.county_a.code])
    client.force_login(w.user("office"))
    cold = _count_queries(client, url)
    warm = _count_queries(client, url)
    assert warm < cold - 15  # the providers, breakdowns and charts come from the cache
    before = client.get(url).context["board"].totals["items"]
    rect_services.item_create(
        actor=root_admin(),
        unit=w.town_a,
        problem="问题",
        measure="措施",
        target="目标",
        responsible_unit="镇政府",
        handling=Handling.NOW,
        deadline=TODAY + datetime.timedelta(days=5),
    )
    assert client.get(url).context["board"].totals["items"] == before
    # The principal (no office seat) cannot force a recount; the office can.
    client.force_login(w.user("principal"))
    assert client.get(url, {"refresh": "1"}).context["board"].totals["items"] == before
    client.force_login(w.user("office"))
    page = client.get(url, {"refresh": "1"})
    assert page.context["board"].totals["items"] == before + 1
    assert "数据统计于" in page.content.decode()
    # The warm-up task recomputes the campaign's top units (province and city) and is safe to repeat.
    assert dashboard_warm_task() == dashboard_warm_task() == 2
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert dashboard_warm_task() == 0
