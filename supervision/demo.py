"""Demo 督导 records in 濮阳市: a 听取汇报 record, a 约谈, a checklist, a note and a draft 纪实评价
on 清丰县."""

from __future__ import annotations

import datetime

from campaign.audit import acting_as
from supervision import services
from supervision.choices import AccountabilityKind, CheckStatus, SixNotLetGo
from supervision.evaluation import leaders_of
from supervision.models import Accountability, RecordEvaluation, ReportHearing, SupervisionNote, UnitCheck
from units.demo import DemoContext
from units.models import Organization, Person, Post


def seed(ctx: DemoContext) -> None:
    county, nanle = ctx.units["410922"], ctx.units["410923"]
    office = Person.objects.get(user__username="office").user
    county_office = Person.objects.get(user__username="county_office").user
    supervisor = Person.objects.get(user__username="supervisor").user

    if not ReportHearing.objects.filter(unit=county).exists():
        services.hearing_record(
            actor=county_office,
            unit=county,
            date=datetime.date(2014, 6, 5),
            reporters="城关镇党委书记\n马庄桥镇党委书记\n县教育局党组书记",
            notes="听取各乡镇和县直单位查摆问题、撰写对照检查材料进展，要求对照“六不”要求把关，6月底前完成审核。",
        )
    if not Accountability.objects.filter(unit=nanle).exists():
        secretary = Post.objects.get(unit=nanle, role="principal").person
        services.accountability_record(
            actor=office,
            unit=nanle,
            person=secretary,
            kind=AccountabilityKind.TALK,
            date=datetime.date(2014, 6, 12),
            reason="第一环节“回头看”发现听取意见不深入，对照检查材料撰写进度滞后。",
            outcome="已作出书面说明，承诺6月底前完成材料审核。",
        )
    group = Organization.objects.get(name="濮阳市委第二督导组")
    if not UnitCheck.objects.filter(group=group, unit=county).exists():
        services.unit_check_set(
            actor=supervisor,
            group=group,
            unit=county,
            item=SixNotLetGo.AWARENESS,
            status=CheckStatus.PASSED,
            note="",
        )
        services.unit_check_set(
            actor=supervisor,
            group=group,
            unit=county,
            item=SixNotLetGo.FOCUS,
            status=CheckStatus.CONCERN,
            note="个别常委查摆问题以工作问题代替“四风”问题，已当面指出。",
        )
    if not SupervisionNote.objects.filter(unit=county).exists():
        with acting_as(supervisor):
            services.note_add(
                actor=supervisor,
                record=county,
                unit=county,
                text="列席县委常委会研究教育实践活动，建议专题民主生活会前完成“四必谈”。",
            )
    if not RecordEvaluation.objects.filter(group=group, unit=county).exists():
        # A draft 纪实评价: the group starts writing while the record is still open.
        posts = leaders_of(county)
        services.record_evaluation_save(
            actor=supervisor,
            group=group,
            unit=county,
            grade="",
            text="县委常委会带头学习，听取意见覆盖各乡镇和县直单位；查摆问题环节部分材料反复修改，需继续跟踪。",
            leaders=[
                services.LeaderInput(posts[0].person_id, "fair", "带头撰写对照检查材料，主动认领群众意见。")
            ]
            if posts
            else [],
        )
