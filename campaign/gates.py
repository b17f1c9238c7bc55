"""The gate registry: what must be true before a unit may leave a stage.

Gates are data (``campaign.models.Gate``: campaign × stage × unit kinds × condition
key × params), set by an office. The *conditions* they name are declared here,
each with a Chinese label, where to fix it and its parameters. The app that owns
a condition's data registers the evaluator, in its own ``<app>/gates.py``
(collected at start-up by ``autodiscover``)::

    # stages/gates.py
    from campaign import gates

    @gates.evaluator("study_sessions_min", fix_url_name="stages:study_list")
    def study_sessions(campaign, units, params):
        counts = dict(
            StudySession.objects.filter(campaign=campaign, unit__in=units)
            .values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
        )
        return {
            u.pk: gates.GateResult(counts.get(u.pk, 0) >= params["min"], f"已记录 {counts.get(u.pk, 0)} 次")
            for u in units
        }

An evaluator gets the campaign, a list of units (each carrying ``.stage_state``,
its UnitStage row, e.g. to count only records since ``stage_state.entered_on``
after a 推倒重来) and the gate's params already parsed (ints as int, fractions as
``fractions.Fraction``). It returns a GateResult for every unit and costs a fixed
number of queries whatever the number of units. A condition without an evaluator
is shown as "尚未启用" and does not block: it is evaluated as soon as its app
registers one.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign import clock

GateEvaluator = Callable[[Any, list[Any], dict[str, Any]], dict[int, "GateResult"]]

MET, UNMET, PENDING = "met", "unmet", "pending"
PENDING_TEXT = gettext_lazy("尚未启用（相关功能上线后自动评估）")
_CODE_MARK = "00UNITCODE00"


@dataclass(frozen=True)
class GateResult:
    """An evaluator's answer for one unit."""

    met: bool
    detail: str = ""


@dataclass(frozen=True)
class Param:
    """A parameter of a condition: ``int`` (≥ 1), ``fraction`` ("2/3", "0.8") or ``choice``."""

    name: str
    label: Promise | str
    kind: str
    default: Any
    choices: tuple[tuple[str, Promise | str], ...] = ()


@dataclass
class Condition:
    """A condition key the code knows how to evaluate (or will, once its app registers it)."""

    key: str
    label: Promise | str  # may use %(param)s placeholders
    fix_label: Promise | str  # where a user goes to fix it, in words
    description: Promise | str = ""
    params: tuple[Param, ...] = ()
    fix_url_name: str | None = None  # a URL name taking the unit's ``code``
    builtin: bool = False  # applies to every stage and kind, without a Gate row
    evaluate: GateEvaluator | None = field(default=None, repr=False)

    @property
    def enabled(self) -> bool:
        return self.evaluate is not None


_REGISTRY: dict[str, Condition] = {}
_discovered = False


def declare(
    key: str,
    *,
    label: Promise | str,
    fix_label: Promise | str,
    description: Promise | str = "",
    params: tuple[Param, ...] = (),
    fix_url_name: str | None = None,
    builtin: bool = False,
) -> Condition:
    """Declare a condition key. Declaring the same key twice is an error (keys are stored in gates)."""
    if key in _REGISTRY:
        raise ValueError(f"gate condition {key!r} is declared twice")
    condition = Condition(
        key=key,
        label=label,
        fix_label=fix_label,
        description=description,
        params=params,
        fix_url_name=fix_url_name,
        builtin=builtin,
    )
    _REGISTRY[key] = condition
    return condition


def register(key: str, func: GateEvaluator, *, fix_url_name: str | None = None) -> None:
    """Register the evaluator of a declared key (once); optionally the page where it is fixed."""
    condition = _REGISTRY.get(key)
    if condition is None:
        raise KeyError(f"gate condition {key!r} is not declared in campaign/gates.py")
    if condition.evaluate is not None and condition.evaluate is not func:
        raise ValueError(f"gate condition {key!r} already has an evaluator")
    condition.evaluate = func
    if fix_url_name:
        condition.fix_url_name = fix_url_name


def evaluator(key: str, *, fix_url_name: str | None = None) -> Callable[[GateEvaluator], GateEvaluator]:
    """Decorator form of ``register``."""

    def decorate(func: GateEvaluator) -> GateEvaluator:
        register(key, func, fix_url_name=fix_url_name)
        return func

    return decorate


@contextmanager
def registered(key: str, func: GateEvaluator | None) -> Iterator[None]:
    """Swap a key's evaluator for the duration of a block (tests)."""
    condition = _REGISTRY[key]
    previous = condition.evaluate, condition.fix_url_name
    condition.evaluate = func
    try:
        yield
    finally:
        condition.evaluate, condition.fix_url_name = previous


def autodiscover() -> None:
    """Import ``<app>.gates`` of every project app but this one, which registers their evaluators."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    from campaign.apps import project_modules

    project_modules("gates", skip=("campaign",))


def conditions() -> list[Condition]:
    autodiscover()
    return list(_REGISTRY.values())


def get_condition(key: str) -> Condition | None:
    autodiscover()
    return _REGISTRY.get(key)


def condition_choices() -> list[tuple[str, str]]:
    return [(c.key, f"{c.key} · {c.label}") for c in conditions() if not c.builtin]


# --- params ------------------------------------------------------------------


def _fraction(value: Any) -> Fraction:
    try:
        number = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError from exc
    if not 0 < number <= 1:
        raise ValueError
    return number


def clean_params(key: str, raw: dict[str, Any] | None) -> dict[str, Any]:
    """The params to store for a gate: defaults filled in, values checked; a Chinese error otherwise."""
    condition = get_condition(key)
    if condition is None:
        raise ValidationError({"condition": _("没有“%(key)s”这个关卡条件。") % {"key": key}})
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ValidationError({"params": _('参数应是一个 JSON 对象，如 {"min": 3}。')})
    known = {p.name for p in condition.params}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValidationError(
            {
                "params": _("条件“%(label)s”没有参数：%(names)s。")
                % {"label": condition.label, "names": "、".join(unknown)}
            }
        )
    cleaned: dict[str, Any] = {}
    for param in condition.params:
        value = raw.get(param.name, param.default)
        try:
            if param.kind == "int":
                number = int(value)
                if number < 1 or str(value).strip() != str(number):
                    raise ValueError
                cleaned[param.name] = number
            elif param.kind == "fraction":
                fraction = _fraction(value)
                cleaned[param.name] = f"{fraction.numerator}/{fraction.denominator}"
            elif param.kind == "choice":
                if value not in {c for c, _label in param.choices}:
                    raise ValueError
                cleaned[param.name] = value
            else:  # pragma: no cover - a declaration error
                raise ValueError
        except (TypeError, ValueError):
            hint = {
                "int": _("正整数"),
                "fraction": _("0 到 1 之间的分数，如 2/3"),
                "choice": "、".join(str(c) for c, _label in param.choices),
            }.get(param.kind, "")
            raise ValidationError(
                {
                    "params": _("参数“%(label)s”的值“%(value)s”无效，应为%(hint)s。")
                    % {"label": param.label, "value": value, "hint": hint}
                }
            ) from None
    return cleaned


def parse_params(condition: Condition, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored params as the evaluator gets them (defaults for anything missing)."""
    parsed: dict[str, Any] = {}
    for param in condition.params:
        value = stored.get(param.name, param.default)
        parsed[param.name] = _fraction(value) if param.kind == "fraction" else value
    return parsed


def condition_label(key: str, params: dict[str, Any] | None = None) -> str:
    """The gate's label with its params filled in, e.g. "集中学习、专题讨论不少于 3 次"."""
    condition = get_condition(key)
    if condition is None:
        return _("未知条件：%(key)s") % {"key": key}
    shown: dict[str, Any] = {}
    for param in condition.params:
        value = (params or {}).get(param.name, param.default)
        if param.kind == "choice":
            value = dict(param.choices).get(value, value)
        shown[param.name] = value
    try:
        return str(condition.label) % shown if shown else str(condition.label)
    except (KeyError, ValueError, TypeError):
        return str(condition.label)


# --- evaluation --------------------------------------------------------------


@dataclass(frozen=True)
class GateCheck:
    """One gate as it stands for one unit, ready to show."""

    key: str
    label: str
    state: str  # met / unmet / pending
    detail: str
    fix_label: str
    fix_url: str
    gate_id: int | None = None

    @property
    def met(self) -> bool:
        return self.state == MET

    @property
    def blocking(self) -> bool:
        return self.state == UNMET

    @property
    def pending(self) -> bool:
        return self.state == PENDING


def _url_template(condition: Condition) -> str:
    for name, anchor in ((condition.fix_url_name, ""), ("units:detail", "#stages")):
        if not name:
            continue
        try:
            return reverse(name, kwargs={"code": _CODE_MARK}) + anchor
        except NoReverseMatch:
            continue
    return ""


def evaluate(campaign: Any, states: list[Any], gates: list[Any] | None = None) -> dict[int, list[GateCheck]]:
    """The gates of the stage each unit is in (the stage it would leave), evaluated for all at once.

    ``states`` are UnitStage rows with ``unit`` loaded. Costs one query for the gates
    (none when ``gates`` is given) plus each evaluator's fixed cost, once per distinct
    (condition, params) — never once per unit. Units not started or finished have no gates.
    """
    from campaign.choices import StageStatus
    from campaign.models import Gate

    autodiscover()
    if gates is None:
        gates = list(Gate.objects.filter(campaign=campaign, is_active=True).order_by("stage", "id"))
    builtins = [c for c in _REGISTRY.values() if c.builtin]
    # Keyed once per gate, not once per unit: a province has tens of thousands of units.
    job_keys = {id(g): (g.condition, json.dumps(g.params or {}, sort_keys=True)) for g in gates}
    # (key, params json) → (condition, params, gate ids by unit, units)
    jobs: dict[tuple[str, str], dict[str, Any]] = {}
    order: dict[int, list[tuple[tuple[str, str], int | None]]] = {}
    for state in states:
        if state.status != StageStatus.IN_PROGRESS:
            order[state.unit_id] = []
            continue
        state.unit.stage_state = state
        wanted = [
            (job_keys[id(g)], g.params or {}, g.pk)
            for g in gates
            if g.stage == state.stage and g.applies_to(state.unit.kind)
        ]
        wanted += [((c.key, "{}"), {}, None) for c in builtins]
        entries = []
        for job_key, params, gate_id in wanted:
            job = jobs.setdefault(job_key, {"key": job_key[0], "params": params, "units": {}})
            job["units"][state.unit_id] = state.unit
            entries.append((job_key, gate_id))
        order[state.unit_id] = entries

    results: dict[tuple[str, str], dict[int, GateResult] | None] = {}
    templates: dict[str, str] = {}
    for job_key, job in jobs.items():
        condition = _REGISTRY.get(job["key"])
        if condition is None or condition.evaluate is None:
            results[job_key] = None
            continue
        units = list(job["units"].values())
        results[job_key] = condition.evaluate(campaign, units, parse_params(condition, job["params"]))

    checks: dict[int, list[GateCheck]] = {}
    codes = {state.unit_id: state.unit.code for state in states}
    labels = {job_key: condition_label(job_key[0], job["params"]) for job_key, job in jobs.items()}
    fix_labels = {k: str(c.fix_label) if (c := _REGISTRY.get(k)) else "" for k, _p in jobs}
    pending, no_answer = str(PENDING_TEXT), _("没有评估结果")
    for unit_id, entries in order.items():
        unit_checks = []
        for job_key, gate_id in entries:
            key = job_key[0]
            condition = _REGISTRY.get(key)
            label = labels[job_key]
            outcome = results[job_key]
            if condition is None or outcome is None:
                state, detail = PENDING, pending
            else:
                answer = outcome.get(unit_id)
                if answer is None:
                    state, detail = UNMET, no_answer
                else:
                    state, detail = (MET if answer.met else UNMET), answer.detail
            if condition is not None and key not in templates:
                templates[key] = _url_template(condition)
            url = templates.get(key, "").replace(_CODE_MARK, codes[unit_id])
            unit_checks.append(
                GateCheck(
                    key=key,
                    label=label,
                    state=state,
                    detail=detail,
                    fix_label=fix_labels[key],
                    fix_url=url,
                    gate_id=gate_id,
                )
            )
        checks[unit_id] = unit_checks
    return checks


# --- the conditions ----------------------------------------------------------
# Declared here so that offices can set gates on them today; the apps that own the
# data register the evaluators. Keep keys stable: they are stored in Gate rows.

SURVEYS = (
    ("stage1", gettext_lazy("第一环节群众评价")),
    ("meeting", gettext_lazy("民主生活会情况通报后的群众评议")),
    ("final", gettext_lazy("活动结束时的群众评议")),
)

declare(
    "study_sessions_min",
    label=gettext_lazy("集中学习、专题讨论不少于 %(min)s 次"),
    fix_label=gettext_lazy("“学习教育”的学习记录"),
    description=gettext_lazy("本单位登记的集中学习、专题讨论、中心组学习等学习活动的次数 [001]。"),
    params=(Param("min", gettext_lazy("最少次数"), "int", 3),),
)
declare(
    "opinion_groups_claimed",
    label=gettext_lazy("征求到的意见已归纳整理并全部认领"),
    fix_label=gettext_lazy("“听取意见”的意见归类与认领"),
    description=gettext_lazy("“梳辫子”后的每一类意见都已由责任领导或班子主动认领 [000][001]。"),
)
declare(
    "satisfaction_min",
    label=gettext_lazy("%(survey)s满意率不低于 %(threshold)s"),
    fix_label=gettext_lazy("群众评议（满意度测评）"),
    description=gettext_lazy("群众满意率低于三分之二的，要督促返工补课 [002]。"),
    params=(
        Param("threshold", gettext_lazy("满意率下限"), "fraction", "2/3"),
        Param("survey", gettext_lazy("测评"), "choice", "meeting", SURVEYS),
    ),
)
declare(
    "materials_approved",
    label=gettext_lazy("应写的对照检查材料全部审核通过"),
    fix_label=gettext_lazy("“对照检查材料”的审核进度"),
    description=gettext_lazy("班子和每位成员（村、社区为简要材料）的对照检查材料走完审核链 [002]。"),
)
declare(
    "talks_complete",
    label=gettext_lazy("“四必谈”谈心谈话全覆盖"),
    fix_label=gettext_lazy("“谈心谈话”的覆盖情况"),
    description=gettext_lazy(
        "主要负责同志与每个成员、成员之间、成员与分管部门负责同志、督导组与成员，都已谈过 [002]。"
    ),
)
declare(
    "democratic_meeting_held",
    label=gettext_lazy("专题民主生活会（基层组织为组织生活会）已召开"),
    fix_label=gettext_lazy("“专题民主生活会”"),
    description=gettext_lazy("会议已按批准的方案召开并记录 [000][002]。"),
)
declare(
    "meeting_briefing_held",
    label=gettext_lazy("民主生活会情况通报会已召开"),
    fix_label=gettext_lazy("“专题民主生活会”的情况通报"),
    description=gettext_lazy("会后召开情况通报暨群众评议会 [002]。"),
)
declare(
    "meeting_report_filed",
    label=gettext_lazy("民主生活会专题报告已报送活动办"),
    fix_label=gettext_lazy("“专题民主生活会”的专题报告"),
    description=gettext_lazy("会后 15 天内形成专题报告，经督导组审阅后报活动办 [002]。"),
)
declare(
    "rectification_items_closed",
    label=gettext_lazy("整改事项全部销号或已向群众解释说明"),
    fix_label=gettext_lazy("“整改落实”的整改清单"),
    description=gettext_lazy("每个整改事项都已经督导组或上级活动办销号，暂不具备条件的已向群众解释 [003]。"),
)
declare(
    "special_rectification_passed",
    label=gettext_lazy("专项整治评估验收没有不合格"),
    fix_label=gettext_lazy("“专项整治”的评估验收"),
    description=gettext_lazy("评估验收不合格的单位不能结束活动 [003]。"),
)
declare(
    "min_duration",
    label=gettext_lazy("集中教育时间不少于活动规定的月数"),
    fix_label=gettext_lazy("本单位的环节日程"),
    description=gettext_lazy(
        "具体到每个单位，集中教育时间一般不少于3个月 [000][004]；从启动第一环节之日起算。"
    ),
)
declare(
    "no_open_lookback_order",
    label=gettext_lazy("回头看提出的限期整改均已销号"),
    fix_label=gettext_lazy("本单位的“回头看”记录（由督导组或活动办销号）"),
    description=gettext_lazy(
        "有未销号的限期整改时，单位不能离开所处环节 [002]。对每个环节、每类单位都适用。"
    ),
    builtin=True,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the last day of the month when it has fewer days)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@evaluator("no_open_lookback_order")
def _no_open_orders(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, GateResult]:
    """One query: the open 限期整改 of these units."""
    from campaign.choices import LookBackStatus, Verdict
    from campaign.models import LookBack

    ids = {u.pk for u in units}
    open_orders: dict[int, list[datetime.date | None]] = {}
    rows = LookBack.objects.filter(campaign=campaign, verdict=Verdict.RECTIFY, status=LookBackStatus.OPEN)
    if len(ids) <= 500:  # otherwise the campaign's open orders, which are few: no 20,000-id IN list
        rows = rows.filter(unit_id__in=ids)
    for unit_id, due in rows.order_by("due_date").values_list("unit_id", "due_date"):
        if unit_id in ids:
            open_orders.setdefault(unit_id, []).append(due)
    answers = {}
    # Translated once per call: this gate runs for every unit of a dashboard's subtree.
    none_open, some_open = _("没有未销号的限期整改"), _("有 %(n)s 项限期整改未销号（最早期限 %(due)s）")
    for unit in units:
        dues = open_orders.get(unit.pk)
        if not dues:
            answers[unit.pk] = GateResult(True, none_open)
        else:
            answers[unit.pk] = GateResult(False, some_open % {"n": len(dues), "due": dues[0]})
    return answers


@evaluator("min_duration")
def _min_duration(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, GateResult]:
    """No query when the units carry their stage state (they do when ``evaluate`` calls)."""
    from campaign.models import UnitStage

    started: dict[int, datetime.date | None] = {}
    missing = [u.pk for u in units if not hasattr(u, "stage_state")]
    for unit in units:
        if hasattr(unit, "stage_state"):
            started[unit.pk] = unit.stage_state.started_on
    if missing:
        started.update(
            UnitStage.objects.filter(campaign=campaign, unit_id__in=missing).values_list(
                "unit_id", "started_on"
            )
        )
    today = clock.today()
    months = campaign.min_unit_months
    answers = {}
    not_started, served = _("尚未启动"), _("%(day)s 启动，已满 %(m)s 个月")
    serving = _("%(day)s 启动，须到 %(due)s 才满 %(m)s 个月")
    for unit in units:
        began = started.get(unit.pk)
        if began is None:
            answers[unit.pk] = GateResult(False, not_started)
            continue
        due = add_months(began, months)
        if today >= due:
            answers[unit.pk] = GateResult(True, served % {"day": began, "m": months})
        else:
            answers[unit.pk] = GateResult(False, serving % {"day": began, "due": due, "m": months})
    return answers
