"""Reads on stage-1 records.

Two kinds of readers:
- pages and the API start from the user's scope (``*_visible_to(user)``); a
  detail outside the scope raises Http404;
- the gates registry and rectification's "四个回应" ask about units they have
  already chosen: ``study_session_counts``, ``opinion_progress``,
  ``unclaimed_group_counts``, ``latest_satisfaction``, ``groups_needing_answer``
  and ``opinions_needing_answer`` take units, not users, and cost a fixed
  number of queries however many units they are given.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import CharField, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404

from campaign import clock
from campaign.models import Campaign
from stages.choices import (
    LIVE_STATUSES,
    GroupStatus,
    OpinionStatus,
    RemediationStatus,
    SurveyMode,
    SurveyPurpose,
    SurveyStatus,
)
from stages.models import (
    Opinion,
    OpinionGroup,
    Remediation,
    StudySession,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    SurveyResult,
    SurveyTarget,
)
from units.access import scope_for
from units.choices import LEADERSHIP_ROLES
from units.models import Person, Post, Unit

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 12


def _scope_q(user: Any, prefix: str = "") -> Q:
    return scope_for(user).unit_q(path_field=f"{prefix}unit_path", unit_field=f"{prefix}unit_id")


def _unit_ids(units: Iterable[Unit | int]) -> list[int]:
    return sorted({u if isinstance(u, int) else u.pk for u in units})


# --- campaign and people -----------------------------------------------------------


def campaign_for_unit(unit: Unit) -> Campaign | None:
    """The campaign a unit takes part in: the latest whose organising unit is the unit or above it."""
    paths = [*unit.ancestor_paths(), unit.path]
    return Campaign.objects.filter(root_unit__path__in=paths).order_by("-start_date", "-pk").first()


def people_of_unit(unit: Unit, on: datetime.date | None = None) -> QuerySet[Person]:
    """People holding a post in the unit (on a day, or at any time if no day is given)."""
    posts = Post.objects.filter(unit=unit, person=OuterRef("pk"))
    if on is not None:
        posts = posts.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))
    return Person.objects.filter(Exists(posts)).order_by("name", "code")


def leaders_of_unit(unit: Unit) -> QuerySet[Post]:
    """Current 班子 posts of the unit, for choosing who claims an opinion group."""
    return (
        Post.objects.active()
        .filter(unit=unit, role__in=LEADERSHIP_ROLES)
        .select_related("person")
        .order_by("sort_order", "start_date")
    )


# --- study ---------------------------------------------------------------------------


def study_sessions_visible_to(user: Any) -> QuerySet[StudySession]:
    return StudySession.objects.filter(_scope_q(user))


def study_sessions_under(user: Any, root: Unit) -> QuerySet[StudySession]:
    return (
        study_sessions_visible_to(user)
        .filter(unit_path__startswith=root.path)
        .select_related("unit")
        .annotate(participant_count=Count("participants"))
        .order_by("-held_on", "-pk")
    )


def study_session_get_visible(user: Any, pk: int) -> StudySession:
    session = (
        study_sessions_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "campaign", "recorded_by")
        .prefetch_related("participants")
        .first()
    )
    if session is None:
        raise Http404
    return session


# --- opinions --------------------------------------------------------------------------

# How an opinion's derived status maps to its group.
STATUS_FILTERS: dict[str, Q] = {
    OpinionStatus.UNSORTED: Q(group__isnull=True) | Q(group__status=GroupStatus.PROPOSED),
    OpinionStatus.GROUPED: Q(group__status=GroupStatus.CONFIRMED),
    OpinionStatus.CLAIMED: Q(group__status=GroupStatus.CLAIMED),
    OpinionStatus.ANSWERED: Q(group__status=GroupStatus.ANSWERED),
    OpinionStatus.PUBLISHED: Q(group__status=GroupStatus.PUBLISHED),
}


def opinion_status(opinion: Opinion) -> str:
    """The derived status of one opinion (its group must be loaded)."""
    group = opinion.group
    if group is None or group.status in (GroupStatus.PROPOSED, GroupStatus.DISSOLVED, GroupStatus.MERGED):
        return OpinionStatus.UNSORTED
    return {
        GroupStatus.CONFIRMED: OpinionStatus.GROUPED,
        GroupStatus.CLAIMED: OpinionStatus.CLAIMED,
        GroupStatus.ANSWERED: OpinionStatus.ANSWERED,
        GroupStatus.PUBLISHED: OpinionStatus.PUBLISHED,
    }[GroupStatus(group.status)]


def opinions_visible_to(user: Any) -> QuerySet[Opinion]:
    return Opinion.objects.filter(_scope_q(user))


@dataclass
class OpinionFilter:
    channel: str = ""
    category: str = ""
    status: str = ""
    unit_code: str = ""
    query: str = ""


def opinion_list(user: Any, root: Unit, filters: OpinionFilter | None = None) -> QuerySet[Opinion]:
    """Opinions of a subtree the user can see, filtered; rows carry unit, group and leader."""
    filters = filters or OpinionFilter()
    opinions = opinions_visible_to(user).filter(unit_path__startswith=root.path)
    if filters.channel:
        opinions = opinions.filter(channel=filters.channel)
    if filters.category:
        opinions = opinions.filter(category=filters.category)
    if filters.status in STATUS_FILTERS:
        opinions = opinions.filter(STATUS_FILTERS[filters.status])
    if filters.unit_code:
        opinions = opinions.filter(unit__code=filters.unit_code)
    if filters.query:
        opinions = opinions.filter(text__icontains=filters.query)
    return opinions.select_related("unit", "group", "about_person").order_by("-received_on", "-pk")


def opinion_get_visible(user: Any, pk: int) -> Opinion:
    opinion = (
        opinions_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "group", "about_person", "campaign", "entered_by")
        .first()
    )
    if opinion is None:
        raise Http404
    return opinion


def groups_visible_to(user: Any) -> QuerySet[OpinionGroup]:
    return OpinionGroup.objects.filter(_scope_q(user))


def group_list(user: Any, root: Unit, status: str = "") -> QuerySet[OpinionGroup]:
    groups = groups_visible_to(user).filter(unit_path__startswith=root.path, status__in=LIVE_STATUSES)
    if status:
        groups = groups.filter(status=status)
    return (
        groups.select_related("unit", "claimed_person")
        .annotate(opinion_count=Count("opinions"))
        .order_by("unit_path", "-pk")
    )


def group_get_visible(user: Any, pk: int) -> OpinionGroup:
    group = (
        groups_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "claimed_person", "merged_into", "campaign")
        .prefetch_related(
            Prefetch(
                "opinions",
                queryset=Opinion.objects.select_related("about_person").order_by("received_on", "pk"),
            )
        )
        .first()
    )
    if group is None:
        raise Http404
    return group


def group_events(group: OpinionGroup) -> QuerySet[Any]:
    return group.events.select_related("actor").order_by("created_at", "pk")


@dataclass
class SortingBoard:
    """What the office sees when sorting a unit's opinions (梳辫子)."""

    proposed: list[OpinionGroup]
    confirmed: list[OpinionGroup]
    unsorted: list[Opinion]


def sorting_board(user: Any, unit: Unit, campaign: Campaign | None) -> SortingBoard:
    """Proposed and confirmed groups of one unit with their opinions, and the opinions in no group.

    Three queries: groups, their opinions (prefetch), loose opinions.
    """
    opinions = Opinion.objects.select_related("about_person").order_by("received_on", "pk")
    groups = list(
        groups_visible_to(user)
        .filter(unit=unit, status__in=[GroupStatus.PROPOSED, GroupStatus.CONFIRMED])
        .filter(campaign=campaign)
        .prefetch_related(Prefetch("opinions", queryset=opinions))
        .order_by("status", "-similarity", "pk")
    )
    unsorted = list(opinions_visible_to(user).filter(unit=unit, campaign=campaign, group__isnull=True))
    return SortingBoard(
        proposed=[g for g in groups if g.status == GroupStatus.PROPOSED],
        confirmed=[g for g in groups if g.status == GroupStatus.CONFIRMED],
        unsorted=unsorted,
    )


def unsorted_opinions(unit: Unit, campaign: Campaign | None) -> QuerySet[Opinion]:
    """Opinions of one unit in no group (the batch the grouping runs on)."""
    return Opinion.objects.filter(unit=unit, campaign=campaign, group__isnull=True).order_by("pk")


def normalise_receipt(code: str) -> str | None:
    """A receipt code as typed (any case, full-width, with dashes or spaces), or None when malformed."""
    text = unicodedata.normalize("NFKC", str(code or ""))[:64].upper()
    text = "".join(ch for ch in text if ch.isalnum())
    if len(text) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in text):
        return None
    return text


def receipt_lookup(code: str) -> Opinion | None:
    """The opinion behind a receipt code, for the submitter (no account needed)."""
    normal = normalise_receipt(code)
    if normal is None:
        return None
    return Opinion.objects.filter(receipt_code=normal).select_related("unit", "group").first()


def published_groups(unit: Unit, limit: int = 20) -> list[OpinionGroup]:
    """Answers the unit has published, newest first, for its public page."""
    return list(
        OpinionGroup.objects.filter(unit=unit, status=GroupStatus.PUBLISHED)
        .annotate(opinion_count=Count("opinions"))
        .order_by("-published_at", "-pk")[:limit]
    )


# --- surveys ---------------------------------------------------------------------------------


def surveys_visible_to(user: Any) -> QuerySet[Survey]:
    """Surveys run inside the scope, or evaluating a unit inside it."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Survey.objects.all()
    target_in_scope = SurveyTarget.objects.filter(survey=OuterRef("pk")).filter(_scope_q(user))
    return Survey.objects.filter(_scope_q(user) | Exists(target_in_scope))


def surveys_under(user: Any, root: Unit) -> QuerySet[Survey]:
    """Surveys run by the unit or below it, or evaluating a unit of the subtree."""
    in_tree = SurveyTarget.objects.filter(survey=OuterRef("pk"), unit_path__startswith=root.path)
    return (
        surveys_visible_to(user)
        .filter(Q(unit_path__startswith=root.path) | Exists(in_tree))
        .exclude(purpose=SurveyPurpose.ITEM)  # listed on each item's page instead
        .select_related("unit")
        .annotate(target_count=Count("targets", distinct=True))
        .order_by("-opens_at", "-pk")
    )


def survey_get_visible(user: Any, pk: int) -> Survey:
    survey = (
        surveys_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "campaign", "created_by")
        .prefetch_related(
            Prefetch(
                "targets", queryset=SurveyTarget.objects.select_related("unit").order_by("sort_order", "pk")
            ),
            Prefetch(
                "questions",
                queryset=SurveyQuestion.objects.order_by("sort_order", "pk").prefetch_related(
                    Prefetch("options", queryset=SurveyOption.objects.order_by("sort_order", "pk"))
                ),
            ),
        )
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def survey_for_answering(*, public_key: str | None = None, token: str | None = None) -> Survey | None:
    """A survey as a respondent opens it: by its public key or by a respondent's token."""
    base = Survey.objects.select_related("unit").prefetch_related(
        Prefetch(
            "targets", queryset=SurveyTarget.objects.select_related("unit").order_by("sort_order", "pk")
        ),
        Prefetch(
            "questions",
            queryset=SurveyQuestion.objects.order_by("sort_order", "pk").prefetch_related(
                Prefetch("options", queryset=SurveyOption.objects.order_by("sort_order", "pk"))
            ),
        ),
    )
    if public_key is not None:
        return base.filter(public_key=str(public_key)[:32]).first()
    if token is not None:
        return base.filter(tokens__token=str(token)[:64]).first()
    return None


def open_public_surveys(unit: Unit) -> list[Survey]:
    """Public-link surveys evaluating this unit that are open now."""
    now = clock.now()
    return list(
        Survey.objects.filter(
            targets__unit=unit,
            mode=SurveyMode.PUBLIC,
            purpose__in=[p for p in SurveyPurpose.values if p != SurveyPurpose.ITEM],
            status=SurveyStatus.OPEN,
            opens_at__lte=now,
            closes_at__gte=now,
        ).order_by("closes_at")
    )


@dataclass
class Tally:
    """Counts for one target of a survey (live while open, frozen in SurveyResult at close)."""

    target: SurveyTarget
    responses: int = 0
    satisfied: int = 0
    answered: int = 0
    option_counts: dict[str, int] = field(default_factory=dict)
    threshold: Fraction = Fraction(2, 3)
    rank: int | None = None

    @property
    def rate(self) -> Fraction | None:
        return Fraction(self.satisfied, self.answered) if self.answered else None

    @property
    def below_threshold(self) -> bool:
        rate = self.rate
        return rate is not None and rate < self.threshold


def survey_tally(survey: Survey) -> list[Tally]:
    """Count responses and answers per target in three queries; ranked, best rate first.

    The rate counts the answers to questions marked "计入满意率": satisfied
    answers over all answers to those questions. With one such question (the
    default) this is (满意 + 基本满意) / responses. Ties share a rank (1, 1, 3).
    """
    targets = list(survey.targets.select_related("unit").order_by("sort_order", "pk"))
    responses = dict(
        SurveyResponse.objects.filter(survey=survey)
        .order_by()
        .values_list("target_id")
        .annotate(n=Count("pk"))
        .values_list("target_id", "n")
    )
    counts = (
        SurveyAnswer.objects.filter(response__survey=survey, question__counts=True)
        .order_by()
        .values_list("response__target_id", "option__label", "option__is_satisfied")
        .annotate(n=Count("pk"))
    )
    tallies = {t.pk: Tally(target=t, threshold=survey.threshold) for t in targets}
    for target_id, label, is_satisfied, n in counts:
        tally = tallies[target_id]
        tally.option_counts[label] = tally.option_counts.get(label, 0) + n
        tally.answered += n
        if is_satisfied:
            tally.satisfied += n
    for target_id, n in responses.items():
        tallies[target_id].responses = n
    ranked = sorted(
        tallies.values(), key=lambda t: (t.rate is None, -(t.rate or 0), t.target.sort_order, t.target.pk)
    )
    rank, previous = 0, None
    for position, tally in enumerate(ranked, start=1):
        if tally.rate is None:
            continue  # nobody answered: not ranked
        if tally.rate != previous:
            rank, previous = position, tally.rate
        tally.rank = rank
    return ranked


def survey_results(user: Any, survey: Survey) -> list[Any]:
    """Results per target the user may see: stored results when closed, a live tally while open."""
    scope = scope_for(user)
    if survey.status == SurveyStatus.CLOSED:
        rows: list[Any] = list(
            SurveyResult.objects.filter(survey=survey)
            .select_related("unit", "target__unit", "remediation")
            .order_by("rank", "target__sort_order", "pk")
        )
        rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.target.sort_order))
    else:
        rows = survey_tally(survey)
    if scope.is_superuser or scope.reaches(survey.unit_path):
        return rows
    return [row for row in rows if scope.reaches(row.target.unit_path)]


def survey_question_breakdown(survey: Survey) -> dict[tuple[int, int], dict[int, int]]:
    """Answers per (target, question) and option: {(target_id, question_id): {option_id: n}}."""
    result: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey)
        .order_by()
        .values_list("response__target_id", "question_id", "option_id")
        .annotate(n=Count("pk"))
    )
    for target_id, question_id, option_id, n in rows:
        result[(target_id, question_id)][option_id] = n
    return result


def remediations_visible_to(user: Any) -> QuerySet[Remediation]:
    return Remediation.objects.filter(_scope_q(user))


def remediation_get_visible(user: Any, pk: int) -> Remediation:
    remediation = (
        remediations_visible_to(user)
        .filter(pk=pk)
        .select_related("unit", "survey", "result")
        .prefetch_related("events__actor")
        .first()
    )
    if remediation is None:
        raise Http404
    return remediation


# --- for the gates registry (fixed number of queries for any list of units) ---------------------


def study_session_counts(
    units: Iterable[Unit | int],
    *,
    campaign: Campaign | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[int, int]:
    """Study sessions recorded per unit (0 for none), optionally inside a stage window. One query."""
    ids = _unit_ids(units)
    sessions = StudySession.objects.filter(unit_id__in=ids)
    if campaign is not None:
        sessions = sessions.filter(campaign=campaign)
    if start is not None:
        sessions = sessions.filter(held_on__gte=start)
    if end is not None:
        sessions = sessions.filter(held_on__lte=end)
    counts = dict(
        sessions.order_by().values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    return {unit_id: counts.get(unit_id, 0) for unit_id in ids}


@dataclass(frozen=True)
class OpinionProgress:
    """Where a unit's opinions stand."""

    opinions: int = 0
    unsorted: int = 0  # in no group, or only in a proposal
    unclaimed_groups: int = 0  # confirmed, waiting for 主动认领
    unanswered_groups: int = 0  # claimed, no draft answer yet
    unpublished_groups: int = 0  # answer drafted, not yet published
    published_groups: int = 0


def opinion_progress(
    units: Iterable[Unit | int], *, campaign: Campaign | None = None
) -> dict[int, OpinionProgress]:
    """Opinion and group counts per unit. One query: the opinions' counts (tagged with an empty
    status) and the groups' counts by status, as one UNION ALL."""
    return _progress(_unit_ids(units), campaign, with_sessions=False)[0]


def opinion_progress_and_sessions(
    units: Iterable[Unit | int], *, campaign: Campaign | None = None
) -> tuple[dict[int, OpinionProgress], dict[int, int]]:
    """``opinion_progress`` and ``study_session_counts`` together, in one query: the sessions'
    counts are one more branch of the UNION ALL."""
    return _progress(_unit_ids(units), campaign, with_sessions=True)


_SESSIONS = "#sessions"  # the study sessions' rows in the UNION ALL; no group status looks so


def _progress(
    ids: list[int], campaign: Campaign | None, *, with_sessions: bool
) -> tuple[dict[int, OpinionProgress], dict[int, int]]:
    opinions = Opinion.objects.filter(unit_id__in=ids)
    groups = OpinionGroup.objects.filter(unit_id__in=ids)
    sessions = StudySession.objects.filter(unit_id__in=ids)
    if campaign is not None:
        opinions = opinions.filter(campaign=campaign)
        groups = groups.filter(campaign=campaign)
        sessions = sessions.filter(campaign=campaign)
    opinion_rows = (
        opinions.order_by()
        .values("unit_id")
        .annotate(
            row_status=Value("", output_field=CharField()),
            n=Count("pk"),
            unsorted=Count("pk", filter=STATUS_FILTERS[OpinionStatus.UNSORTED]),
        )
        .values_list("unit_id", "row_status", "n", "unsorted")
    )
    group_rows = (
        groups.order_by()
        .values("unit_id", row_status=F("status"))
        .annotate(n=Count("pk"), unsorted=Value(0, output_field=IntegerField()))
        .values_list("unit_id", "row_status", "n", "unsorted")
    )
    rows: list[QuerySet[Any, Any]] = [group_rows]
    if with_sessions:
        rows.append(
            sessions.order_by()
            .values("unit_id")
            .annotate(
                row_status=Value(_SESSIONS, output_field=CharField()),
                n=Count("pk"),
                unsorted=Value(0, output_field=IntegerField()),
            )
            .values_list("unit_id", "row_status", "n", "unsorted")
        )
    by_unit: dict[int, dict[str, int]] = {unit_id: {} for unit_id in ids}
    session_counts = dict.fromkeys(ids, 0)
    names = {
        GroupStatus.CONFIRMED: "unclaimed_groups",
        GroupStatus.CLAIMED: "unanswered_groups",
        GroupStatus.ANSWERED: "unpublished_groups",
        GroupStatus.PUBLISHED: "published_groups",
    }
    for unit_id, status, n, unsorted in opinion_rows.union(*rows, all=True):
        if status == "":
            by_unit[unit_id]["opinions"] = n
            by_unit[unit_id]["unsorted"] = unsorted
        elif status == _SESSIONS:
            session_counts[unit_id] = n
        elif status in names:
            by_unit[unit_id][names[GroupStatus(status)]] = n
    progress = {unit_id: OpinionProgress(**values) for unit_id, values in by_unit.items()}
    return progress, session_counts


def unclaimed_group_counts(
    units: Iterable[Unit | int], *, campaign: Campaign | None = None
) -> dict[int, int]:
    """Confirmed opinion groups nobody has claimed yet, per unit (0 for none). One query."""
    ids = _unit_ids(units)
    groups = OpinionGroup.objects.filter(unit_id__in=ids, status=GroupStatus.CONFIRMED)
    if campaign is not None:
        groups = groups.filter(campaign=campaign)
    counts = dict(
        groups.order_by().values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )
    return {unit_id: counts.get(unit_id, 0) for unit_id in ids}


@dataclass(frozen=True)
class SatisfactionStatus:
    """The latest closed survey result of a unit for one purpose."""

    survey_id: int
    result_id: int
    purpose: str
    responses: int
    rate: Fraction | None
    threshold: Fraction
    below_threshold: bool
    computed_at: datetime.datetime
    open_remediation: bool  # a 返工补课 of this unit is still open (from any survey)
    remediation_id: int | None  # the 返工补课 opened by this result, if any


def latest_satisfaction(
    units: Iterable[Unit | int],
    *,
    purposes: Sequence[str] | None = None,
    campaign: Campaign | None = None,
) -> dict[int, dict[str, SatisfactionStatus]]:
    """{unit id: {purpose: latest result}} for units that have one. One query.

    ``open_remediation`` tells whether the unit still has any open 返工补课 —
    a gate should refuse while it is true, whatever the latest rate.
    """
    ids = _unit_ids(units)
    open_here = Remediation.objects.filter(unit_id=OuterRef("unit_id"), status=RemediationStatus.OPEN)
    results = (
        SurveyResult.objects.filter(unit_id__in=ids)
        .select_related("survey", "remediation")
        .annotate(unit_has_open_remediation=Exists(open_here))
    )
    if purposes:
        results = results.filter(survey__purpose__in=list(purposes))
    else:  # an item's public rating is the item's own business, not the unit's satisfaction
        results = results.exclude(survey__purpose=SurveyPurpose.ITEM)
    if campaign is not None:
        results = results.filter(survey__campaign=campaign)
    latest: dict[int, dict[str, SatisfactionStatus]] = defaultdict(dict)
    for result in results.order_by("unit_id", "survey__purpose", "-computed_at", "-pk"):
        purpose = result.survey.purpose
        if purpose in latest[result.unit_id]:
            continue
        remediation = getattr(result, "remediation", None)
        latest[result.unit_id][purpose] = SatisfactionStatus(
            survey_id=result.survey_id,
            result_id=result.pk,
            purpose=purpose,
            responses=result.responses,
            rate=result.rate,
            threshold=result.threshold,
            below_threshold=result.below_threshold,
            computed_at=result.computed_at,
            open_remediation=result.unit_has_open_remediation,
            remediation_id=remediation.pk if remediation is not None else None,
        )
    return dict(latest)


# --- for rectification's "四个回应" ----------------------------------------------------------


def groups_needing_answer(unit: Unit, *, campaign: Campaign | None = None) -> QuerySet[OpinionGroup]:
    """Opinion groups of the unit that stand (confirmed, claimed or drafted) but whose answer is not
    published yet. Link targets: ``OpinionGroup.pk`` (stable; a group merged away points at its
    successor through ``merged_into``)."""
    groups = OpinionGroup.objects.filter(
        unit=unit, status__in=[GroupStatus.CONFIRMED, GroupStatus.CLAIMED, GroupStatus.ANSWERED]
    )
    if campaign is not None:
        groups = groups.filter(campaign=campaign)
    return groups.select_related("claimed_person").annotate(opinion_count=Count("opinions")).order_by("pk")


def opinions_needing_answer(unit: Unit, *, campaign: Campaign | None = None) -> QuerySet[Opinion]:
    """Opinions of the unit that have no published answer yet: unsorted ones and those in open groups.
    Link targets: ``Opinion.pk``."""
    opinions = Opinion.objects.filter(unit=unit).exclude(group__status=GroupStatus.PUBLISHED)
    if campaign is not None:
        opinions = opinions.filter(campaign=campaign)
    return opinions.select_related("group").order_by("pk")


def unit_summary(unit: Unit, campaign: Campaign | None = None) -> dict[str, Any]:
    """The unit-page panel's numbers for one unit: two queries."""
    progress, sessions = opinion_progress_and_sessions([unit], campaign=campaign)
    satisfaction = latest_satisfaction([unit], campaign=campaign).get(unit.pk, {})
    return {
        "sessions": sessions[unit.pk],
        "progress": progress[unit.pk],
        "satisfaction": sorted(satisfaction.values(), key=lambda s: s.computed_at, reverse=True),
    }
