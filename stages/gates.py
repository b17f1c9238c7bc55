"""Gates of stage 1 (study, opinions) and the satisfaction gates read from the survey engine."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from campaign import gates
from stages.choices import SurveyPurpose
from stages.selectors import latest_satisfaction, opinion_progress, study_session_counts

# The calendar's gate parameter → the survey engine's purpose.
PURPOSE = {"stage1": SurveyPurpose.STAGE_ONE, "meeting": SurveyPurpose.MEETING, "final": SurveyPurpose.FINAL}


@gates.evaluator("study_sessions_min", fix_url_name="stages:study_list")
def study_sessions(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    counts = study_session_counts(units, campaign=campaign)
    needed = params["min"]
    return {
        u.pk: gates.GateResult(
            counts.get(u.pk, 0) >= needed, _("已记录 %(n)d 次") % {"n": counts.get(u.pk, 0)}
        )
        for u in units
    }


@gates.evaluator("opinion_groups_claimed", fix_url_name="stages:group_list")
def groups_claimed(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    """Every opinion sorted into a confirmed group ("梳辫子") and every group claimed ("主动认领")."""
    progress = opinion_progress(units, campaign=campaign)
    results = {}
    for unit in units:
        p = progress[unit.pk]
        if p.opinions == 0:
            results[unit.pk] = gates.GateResult(False, _("尚未登记征求到的意见"))
        elif p.unsorted or p.unclaimed_groups:
            results[unit.pk] = gates.GateResult(
                False,
                _("%(u)d条意见尚未归类，%(c)d类意见尚未认领") % {"u": p.unsorted, "c": p.unclaimed_groups},
            )
        else:
            results[unit.pk] = gates.GateResult(True, _("%(n)d条意见已归类认领") % {"n": p.opinions})
    return results


@gates.evaluator("satisfaction_min", fix_url_name="stages:survey_list")
def satisfaction(campaign: Any, units: list[Any], params: dict[str, Any]) -> dict[int, gates.GateResult]:
    """The latest closed survey of that purpose reaches the threshold, and no 返工补课 is open."""
    purpose = PURPOSE[params["survey"]]
    threshold = params["threshold"]
    latest = latest_satisfaction(units, purposes=[purpose], campaign=campaign)
    results = {}
    for unit in units:
        status = latest.get(unit.pk, {}).get(purpose)
        if status is None or status.rate is None:
            results[unit.pk] = gates.GateResult(
                False, _("尚未完成%(p)s") % {"p": SurveyPurpose(purpose).label}
            )
        elif status.rate < threshold:
            results[unit.pk] = gates.GateResult(
                False,
                _("满意率%(r).1f%%，低于%(t).1f%%，须返工补课")
                % {"r": float(status.rate) * 100, "t": float(threshold) * 100},
            )
        elif status.open_remediation:
            results[unit.pk] = gates.GateResult(False, _("返工补课尚未完成"))
        else:
            results[unit.pk] = gates.GateResult(True, _("满意率%(r).1f%%") % {"r": float(status.rate) * 100})
    return results
