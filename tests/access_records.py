"""One record of each kind on both sides of the shared world (county A and county B), for the
access walker (tests/campaign/test_every_path.py).

Every B-side record carries the marker ``SECRET_B`` in its text, so a page or an API
answer shown to a county-A user that contains it has leaked a record outside his scope.
Kinds whose set-up needs a long chain (materials under review, meetings, talks …) are
built straight in their state where the services would need the whole chain (a meeting's
criticism, 通报会 and report; a 回头看; a 补课); every county record is built on both sides.
Records of the one campaign (its gates) and the 比对文本库 shared by every office are built
once and walked as both sides' record. ``ABSENT`` lists what is walked with an id that
exists nowhere: chain templates, which belong to no unit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from campaign import clock
from campaign import services as campaign_services
from campaign.choices import JobKind, JobStatus, LookBackStatus, Verdict
from campaign.files import save_private
from campaign.models import Job, LookBack, UnitStage
from materials import meeting_services, talk_services
from materials import services as material_services
from materials.copycheck.services import copy_check_run
from materials.demo import demo_content
from materials.meeting_models import Briefing, MeetingCriticism, MeetingReport
from materials.models import CopyReport, MaterialVersion, ReferenceText, ReviewStep
from materials.standard_chains import install as install_material_chains
from rectification import rating_services
from rectification import services as rect_services
from rectification.choices import Handling, ListKind, RuleJudgement
from rectification.models import Evidence, RectificationItem
from rectification.review_chains import install as install_plan_chains
from stages import services as stage_services
from stages.choices import OpinionCategory, OpinionChannel, StudyKind, SurveyMode, SurveyPurpose
from stages.models import Remediation, Survey, SurveyResult, SurveyTarget
from supervision import services as supervision_services
from supervision.choices import NotificationKind
from supervision.models import Notification
from tests.factories import PersonFactory, login_as, make_org, make_post, root_admin, seat
from units import services as unit_services
from units.choices import OrgKind, OrgRole, PostRole
from units.models import Organization, Person, Post

SECRET_A = "甲侧记录标记"
SECRET_B = "乙侧机密标记"
ABSENT_ID = 987654
# Kinds of URL argument walked with ABSENT_ID (no record built on either side).
ABSENT = {"chain_template"}


@dataclass
class Records:
    """``ids[kind] = (county A's id, county B's id)``; units are addressed by code."""

    ids: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    def side(self, kind: str, side: str) -> Any:
        if kind in ABSENT or kind not in self.ids or self.ids[kind][0 if side == "A" else 1] is None:
            return ABSENT_ID
        return self.ids[kind][0 if side == "A" else 1]


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_records(world: Any, settings: Any) -> Records:
    install_material_chains(apps)
    install_plan_chains(apps)
    admin = root_admin()
    records = Records()
    records.ids["unit"] = (world.county_a.code, world.county_b.code)
    records.ids["campaign"] = (world.campaign.pk, world.campaign.pk)  # one campaign for the province
    posts = {
        side: Post.objects.get(unit=unit, role=PostRole.PRINCIPAL)
        for side, unit in (("A", world.county_a), ("B", world.county_b))
    }
    records.ids["post"] = (posts["A"].pk, posts["B"].pk)
    records.ids["person"] = (posts["A"].person_id, posts["B"].person_id)
    offices = {
        side: Organization.objects.get(unit=unit, kind=OrgKind.OFFICE)
        for side, unit in (("A", world.county_a), ("B", world.county_b))
    }
    records.ids["organization"] = (offices["A"].pk, offices["B"].pk)
    group_a = Organization.objects.get(kind=OrgKind.SUPERVISION_GROUP, unit=world.city)
    group_b = make_org(world.campaign, world.city, OrgKind.SUPERVISION_GROUP, "测试市委第二督导组")
    unit_services.supervision_assign(
        actor=admin, group=group_b, unit=world.county_b, start_date=world.campaign.start_date
    )
    records.ids["supervision_group"] = (group_a.pk, group_b.pk)

    # 第一环节: study, opinions, groups, surveys (on a day of stage 1).
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 4, 15)
    day = datetime.date(2014, 4, 15)
    built: dict[str, list[Any]] = {"study": [], "opinion": [], "group": [], "survey": []}
    for unit, marker in ((world.county_a, SECRET_A), (world.county_b, SECRET_B)):
        built["study"].append(
            stage_services.study_session_create(
                actor=admin,
                unit=unit,
                kind=StudyKind.CONCENTRATED,
                held_on=day - datetime.timedelta(days=2),
                hours=Decimal("2.0"),
                topic=f"学习{marker}",
            ).pk
        )
        opinions = [
            stage_services.opinion_create(
                actor=admin,
                unit=unit,
                text=f"意见{n}{marker}",
                channel=OpinionChannel.SYMPOSIUM,
                category=OpinionCategory.BUREAUCRATISM,
                received_on=day - datetime.timedelta(days=3),
                is_anonymous=True,
            )
            for n in (1, 2, 3)
        ]
        built["opinion"].append(opinions[0].pk)
        built["group"].append(
            stage_services.group_create(
                actor=admin, unit=unit, opinions=opinions[1:], title=f"一组{marker}"
            ).pk
        )
        built["survey"].append(
            stage_services.survey_create(
                actor=admin,
                unit=unit,
                title=f"测评{marker}",
                purpose=SurveyPurpose.STAGE_ONE,
                mode=SurveyMode.RESPONDENTS,
                opens_at=_at(day - datetime.timedelta(days=1)),
                closes_at=_at(day + datetime.timedelta(days=5), 18),
                targets=[unit],
            ).pk
        )
    for kind, pair in built.items():
        records.ids[kind] = (pair[0], pair[1])

    # 第三环节: rectification items, plans and rules, kept by each county's office.
    settings.CAMPAIGN_CLOCK_DATE = datetime.date(2014, 6, 20)
    items, plans, rules, jobs, notices = [], [], [], [], []
    for unit, marker, role in ((world.county_a, SECRET_A, "office"), (world.county_b, SECRET_B, "office_b")):
        actor = world.user(role)
        items.append(
            rect_services.item_create(
                actor=actor,
                unit=unit,
                problem=f"问题{marker}",
                measure="精简会议文件",
                target="会议减少三分之一",
                responsible_unit="县委办公室",
                handling=Handling.BY_DEADLINE,
                deadline=datetime.date(2014, 7, 20),
            ).pk
        )
        plans.append(
            rect_services.plan_create(actor=actor, unit=unit, kind=ListKind.TEAM, title=f"方案{marker}").pk
        )
        rules.append(
            rect_services.rule_create(
                actor=actor,
                unit=unit,
                title=f"制度{marker}",
                judgement=RuleJudgement.values[0],
                owner="县委办公室",
                deadline=datetime.date(2014, 9, 30),
            ).pk
        )
        jobs.append(
            campaign_services.job_create(
                actor=actor, kind=JobKind.LEDGER_EXPORT, params={"unit": unit.code}
            ).pk
        )
        notices.append(
            Notification.objects.create(user=actor, kind=NotificationKind.DIGEST, title=f"通知{marker}").pk
        )
    records.ids.update(
        item=(items[0], items[1]),
        plan=(plans[0], plans[1]),
        rule=(rules[0], rules[1]),
        job=(jobs[0], jobs[1]),
        notification=(notices[0], notices[1]),
    )
    # The county-A office's export has its file; 纪实评价 of each county by its 督导组; a rating round.
    job = Job.objects.get(pk=jobs[0])
    stored = save_private(SimpleUploadedFile("台账.xlsx", SECRET_A.encode()), "jobs")
    job.status = JobStatus.DONE
    job.result = {"file": stored, "name": "台账.xlsx"}
    job.save(update_fields=["status", "result"])
    evaluations, ratings = [], []
    for side, unit, marker, role in (
        ("A", world.county_a, SECRET_A, "supervisor"),
        ("B", world.county_b, SECRET_B, "office_b"),
    ):
        group = Organization.objects.get(pk=records.ids["supervision_group"][0 if side == "A" else 1])
        evaluations.append(
            supervision_services.record_evaluation_save(
                actor=world.user(role), group=group, unit=unit, grade="", text=f"评价{marker}", leaders=[]
            ).pk
        )
        item = RectificationItem.objects.get(pk=records.ids["item"][0 if side == "A" else 1])
        with transaction.atomic():
            ratings.append(rating_services._current_round(item).pk)
    records.ids.update(evaluation=(evaluations[0], evaluations[1]), rating=(ratings[0], ratings[1]))
    build_more(world, records)
    return records


def _login(person: Any, username: str) -> Any:
    if person.user_id is None:
        login_as(person, username)
        person.refresh_from_db()
    return person.user


def build_more(world: Any, records: Records) -> None:
    """One record of each kind that takes a longer chain, on both sides (clock 2014-06-20)."""
    admin = root_admin()
    campaign = world.campaign
    day = datetime.date(2014, 6, 20)
    principal_b = _login(Post.objects.get(unit=world.county_b, role=PostRole.PRINCIPAL).person, "principal_b")
    member_b = make_post(world.county_b, title="县委常委").person
    _login(member_b, "member_b")
    sides = {
        "A": (
            world.county_a,
            SECRET_A,
            world.user("principal"),
            world.user("member").person,
            world.user("office"),
        ),
        "B": (world.county_b, SECRET_B, principal_b, member_b, world.user("office_b")),
    }
    built: dict[str, dict[str, Any]] = {}

    def keep(kind: str, side: str, pk: Any) -> None:
        built.setdefault(kind, {})[side] = pk

    # 日程、时间窗口、环节进度、回头看 (the campaign opened in both counties).
    calendar: dict[str, Any] = {
        "interval_days": 15,
        "stage1_start": datetime.date(2014, 3, 1),
        "stage1_end": datetime.date(2014, 5, 14),
        "stage2_start": datetime.date(2014, 5, 15),
        "stage2_end": datetime.date(2014, 6, 15),
        "stage3_start": datetime.date(2014, 6, 16),
        "stage3_end": datetime.date(2014, 8, 15),
    }
    campaign_services.calendar_set(actor=admin, campaign=campaign, unit=world.province, **calendar)
    for side, (unit, marker, _principal, _member, office) in sides.items():
        keep(
            "calendar",
            side,
            campaign_services.calendar_set(actor=admin, campaign=campaign, unit=unit, **calendar).pk,
        )
        campaign_services.campaign_open(actor=admin, campaign=campaign, root=unit)
        override = campaign_services.window_override_set(
            actor=office,
            campaign=campaign,
            unit=unit,
            stage=3,
            start=datetime.date(2014, 6, 16),
            end=datetime.date(2014, 8, 31),
            reason=f"延期{marker}",
        )
        keep("override", side, override.pk)
        state = UnitStage.objects.get(campaign=campaign, unit=unit)
        keep("unit_stage", side, state.pk)
        group = Organization.objects.get(pk=records.ids["supervision_group"][0 if side == "A" else 1])
        recorder: Any = Person.objects.filter(memberships__organization=group).first()
        if recorder is None:
            recorder = PersonFactory(name="乙组督导员")
            seat(group, recorder, OrgRole.LEADER)
        lookback = LookBack.objects.create(
            campaign=campaign,
            unit=unit,
            unit_path=unit.path,
            unit_stage=state,
            stage=1,
            verdict=Verdict.RECTIFY,
            findings=f"回头看{marker}",
            points="补课",
            due_date=datetime.date(2014, 7, 1),
            status=LookBackStatus.OPEN,
            group=group,
            recorded_by=recorder,
            recorded_on=day,
        )
        keep("lookback", side, lookback.pk)
    gate = campaign_services.gate_create(
        actor=admin, campaign=campaign, stage=1, condition="study_sessions_min", params={"min": 1}
    )
    records.ids["gate"] = (gate.pk, gate.pk)  # gates belong to the one campaign of the province
    # The 比对文本库 is one corpus every office reads (public texts, tests/materials/
    # test_copycheck_references.py): county A's office uploaded this one; no county-B copy.
    reference = ReferenceText.objects.create(
        title="网络范文",
        source_note="网络范文",
        text="范文全文" * 20,
        owner_unit=world.county_a,
        uploaded_by=world.user("office"),
    )
    records.ids["reference"] = (reference.pk, reference.pk)

    # 对照检查材料 (submitted: its review, review steps and copy check), 谈心谈话, 拟批评意见.
    for side, (unit, marker, principal, member, office) in sides.items():
        material = material_services.material_start(
            actor=principal, campaign=campaign, unit=unit, kind="personal", subject_person=principal.person
        )
        content = demo_content(material.has_body_parts)
        material = material_services.material_save_draft(
            actor=principal, material=material, content=content, version=material.version
        )
        material = material_services.material_submit(
            actor=principal, material=material, version=material.version
        )
        keep("material", side, material.pk)
        step = ReviewStep.objects.filter(review=material.review).order_by("round", "order").first()
        keep("review_step", side, step.pk if step else None)
        # The check is queued on commit, and the records are built inside one rolled-back
        # transaction, so run it here (on PostgreSQL nothing else would).
        version = MaterialVersion.objects.filter(material=material).latest("pk")
        copy_check_run(version_id=version.pk)
        # /api/copy-reports/{id}/ takes the material's id; the report must exist for it.
        assert CopyReport.objects.filter(material=material).exists()
        keep("check", side, material.pk)
        talk = talk_services.talk_record(
            actor=principal,
            campaign=campaign,
            unit=unit,
            counterpart=member,
            group=None,
            held_on=day - datetime.timedelta(days=5),
            points=talk_services.TalkPoints(f"亮明问题{marker}", "指出问题", "交换看法", "会上意见"),
        )
        keep("talk", side, talk.pk)
        keep(
            "criticism_list",
            side,
            talk_services.criticism_list_start(actor=principal, campaign=campaign, unit=unit).pk,
        )
        # 民主生活会, its criticism, 通报会 and report.
        meeting = meeting_services.meeting_start(actor=principal, campaign=campaign, unit=unit)
        keep("meeting", side, meeting.pk)
        criticism = MeetingCriticism.objects.create(
            unit=unit,
            unit_path=unit.path,
            meeting=meeting,
            target=member,
            critic=principal.person,
            content=f"批评{marker}",
        )
        keep("meeting_criticism", side, criticism.pk)
        briefing = Briefing.objects.create(
            unit=unit,
            unit_path=unit.path,
            campaign=campaign,
            meeting=meeting,
            held_on=day - datetime.timedelta(days=2),
            content=f"通报{marker}",
        )
        keep("briefing", side, briefing.pk)
        meeting_report = MeetingReport.objects.create(
            unit=unit,
            unit_path=unit.path,
            campaign=campaign,
            meeting=meeting,
            due_date=day + datetime.timedelta(days=15),
            content=f"报告{marker}",
        )
        keep("meeting_report", side, meeting_report.pk)
        # 整改: evidence of a progress report, a 专项整治.
        item = RectificationItem.objects.get(pk=records.ids["item"][0 if side == "A" else 1])
        rect_services.item_report_progress(
            actor=office,
            item=item,
            text=f"进展{marker}",
            files=[SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 " + marker.encode())],
        )
        keep("evidence", side, Evidence.objects.filter(item=item).get().pk)
        project = rect_services.special_project_create(actor=office, unit=unit, title=f"专项{marker}")
        keep("project", side, project.pk)
        # 整改补课: a stage-one survey's result under the line.
        survey = Survey.objects.get(pk=records.ids["survey"][0 if side == "A" else 1])
        target = SurveyTarget.objects.filter(survey=survey).order_by("pk")[0]
        result = SurveyResult.objects.create(
            unit=unit,
            unit_path=unit.path,
            computed_at=clock.now(),
            survey=survey,
            target=target,
            responses=10,
            satisfied=3,
            answered=10,
            threshold_numerator=2,
            threshold_denominator=3,
        )
        remediation = Remediation.objects.create(
            unit=unit, unit_path=unit.path, survey=survey, result=result, reason=f"补课{marker}"
        )
        keep("remediation", side, remediation.pk)
    for kind, pair in built.items():
        records.ids[kind] = (pair["A"], pair["B"])
