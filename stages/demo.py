"""Stage-1 demo records for 清丰县: study sessions, ~40 opinions from every channel (some 背靠背),
groups proposed, confirmed, claimed, answered and one published, and two surveys — a closed
群众评价 with one township above 2/3 and one below it (返工补课 open), and an open public 民意调查.

Every write goes through the services, "as of" days in 2014 (the campaign clock
is set while seeding), and every step looks before it writes, so running the
command again changes nothing.
"""

from __future__ import annotations

import datetime
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from stages import selectors, services
from stages.choices import (
    ClaimKind,
    GroupStatus,
    OpinionCategory,
    OpinionChannel,
    StudyKind,
    SurveyMode,
    SurveyPurpose,
    SurveyStatus,
)
from stages.models import Opinion, OpinionGroup, StudySession, Survey
from units.models import Person, Unit

COUNTY = "410922"
TOWN = "410922001"  # 城关镇
TOWN_2 = "410922002"  # 马庄桥镇
VILLAGE = "410922001001"  # 东街村
CENTRE = "410922-ZWZX"  # 政务服务中心
POLICE = "410922-GAJ"
EDUCATION = "410922-JYJ"


@contextmanager
def on(day: datetime.date) -> Iterator[None]:
    """Run the services as if the campaign clock said ``day``."""
    with override_settings(CAMPAIGN_CLOCK_DATE=day):
        yield


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# --- study --------------------------------------------------------------------------

STUDY = [
    (
        COUNTY,
        StudyKind.CENTRAL_GROUP,
        "2014-03-06",
        "4",
        "学习习近平总书记系列重要讲话和党的群众路线教育实践活动部署要求",
        "《论群众路线——重要论述摘编》《党的群众路线教育实践学习读本》",
    ),
    (
        COUNTY,
        StudyKind.DISCUSSION,
        "2014-03-13",
        "3",
        "“为了谁、依靠谁、我是谁”专题讨论",
        "焦裕禄同志先进事迹",
    ),
    (COUNTY, StudyKind.VISIT, "2014-03-20", "6", "赴兰考焦裕禄纪念馆参观学习", "焦裕禄精神"),
    (
        TOWN,
        StudyKind.CONCENTRATED,
        "2014-03-18",
        "3",
        "集中学习中央八项规定和省委20条意见",
        "《党政机关厉行节约反对浪费条例》",
    ),
    (TOWN, StudyKind.TRAINING, "2014-03-27", "4", "群众工作方法专题培训", "县委党校辅导讲座"),
    (
        CENTRE,
        StudyKind.CASE,
        "2014-03-21",
        "2",
        "“门难进、脸难看、事难办”典型案例警示教育",
        "窗口单位作风问题通报",
    ),
    (
        VILLAGE,
        StudyKind.CONCENTRATED,
        "2014-03-25",
        "2",
        "“三会一课”集中学习",
        "《农村基层干部廉洁履行职责若干规定（试行）》",
    ),
]


def _study(ctx: Any) -> None:
    for code, kind, day, hours, topic, material in STUDY:
        unit = ctx.units[code]
        if StudySession.objects.filter(unit=unit, topic=topic).exists():
            continue
        held_on = datetime.date.fromisoformat(day)
        with on(held_on):
            services.study_session_create(
                actor=ctx.admin,
                unit=unit,
                kind=kind,
                held_on=held_on,
                hours=Decimal(hours),
                topic=topic,
                material=material,
                participants=list(selectors.people_of_unit(unit, on=held_on)),
            )


# --- opinions -------------------------------------------------------------------------

C = OpinionChannel
K = OpinionCategory
# (unit, channel, category, anonymous, submitter, day, about (person slot), text)
OPINIONS: list[tuple[str, str, str, bool, str, str, str, str]] = [
    (
        CENTRE,
        C.SYMPOSIUM,
        K.BUREAUCRATISM,
        False,
        "个体工商户 李某",
        "2014-03-10",
        "",
        "到县政务服务中心办营业执照，前前后后跑了五六趟，每次都说材料不全，能不能一次性告诉我们要带什么。",
    ),
    (
        CENTRE,
        C.HOTLINE_12345,
        K.BUREAUCRATISM,
        True,
        "",
        "2014-03-12",
        "",
        "政务服务中心办事太难了，一个执照来回跑了好几趟，材料每次都让补一样，就不能一次说清楚吗",
    ),
    (
        CENTRE,
        C.BOX,
        K.BUREAUCRATISM,
        True,
        "",
        "2014-03-14",
        "",
        "建议政务服务中心实行一次性告知，办个执照让人跑了四五趟还没办成。",
    ),
    (
        CENTRE,
        C.STYLE_HOTLINE,
        K.BUREAUCRATISM,
        True,
        "",
        "2014-03-11",
        "",
        "政务服务中心窗口工作人员态度生硬，问两句就不耐烦，脸难看话难听。",
    ),
    (
        CENTRE,
        C.QUESTIONNAIRE,
        K.BUREAUCRATISM,
        True,
        "",
        "2014-03-15",
        "",
        "政务服务中心有的窗口人员服务态度差，群众多问几句就甩脸子，说话很冲。",
    ),
    (
        CENTRE,
        C.PORTAL,
        K.FORMALISM,
        False,
        "市民 王某",
        "2014-03-16",
        "",
        "政务服务中心有的工作人员上班时间玩手机、聊天，群众排长队也不管。",
    ),
    (
        CENTRE,
        C.HOME_VISIT,
        K.TRANSPORT,
        False,
        "市民 赵某",
        "2014-03-17",
        "",
        "政务服务中心门口没有停车位，办事的群众车没地方停。",
    ),
    (
        COUNTY,
        C.UPPER_DISCIPLINE,
        K.EXTRAVAGANCE,
        True,
        "",
        "2014-03-05",
        "JW",
        "县直有的单位领导开公车接送孩子上下学，群众看在眼里。",
    ),
    (
        COUNTY,
        C.LETTER_VISIT,
        K.EXTRAVAGANCE,
        True,
        "",
        "2014-03-07",
        "",
        "有的干部用公车接送孩子，周末还开公车走亲访友。",
    ),
    (
        COUNTY,
        C.PORTAL,
        K.EXTRAVAGANCE,
        True,
        "",
        "2014-03-09",
        "",
        "公车私用现象仍然存在，领导开公家的车接送子女上学。",
    ),
    (
        COUNTY,
        C.SYMPOSIUM,
        K.HEDONISM,
        False,
        "退休干部 张某",
        "2014-03-06",
        "",
        "有的单位借检查名义公款吃喝，接待超标准，上的都是好酒。",
    ),
    (COUNTY, C.UPPER_AUDIT, K.HEDONISM, True, "", "2014-03-08", "", "公务接待超标准，用公款吃喝，喝高档酒。"),
    (
        COUNTY,
        C.QUESTIONNAIRE,
        K.FORMALISM,
        True,
        "",
        "2014-03-10",
        "",
        "会议太多，文件太多，乡镇干部天天开会填表，没时间下村。",
    ),
    (
        COUNTY,
        C.SYMPOSIUM,
        K.FORMALISM,
        False,
        "乡镇干部 刘某",
        "2014-03-11",
        "",
        "文山会海现象突出，基层干部一周要开好几个会，报不完的材料。",
    ),
    (
        COUNTY,
        C.UPPER_ORGANIZATION,
        K.BUREAUCRATISM,
        True,
        "",
        "2014-03-12",
        "CW",
        "县里有的领导调研走马观花，只看盆景不看全景，听汇报多、解决问题少。",
    ),
    (
        COUNTY,
        C.UPPER_INSPECTION,
        K.FORMALISM,
        True,
        "",
        "2014-03-13",
        "",
        "有的项目搞形象工程，新修的广场没人去，群众急需的排水沟却一直没修。",
    ),
    (
        COUNTY,
        C.UPPER_PETITION,
        K.LAND,
        True,
        "",
        "2014-03-14",
        "",
        "征地拆迁工作方法简单粗暴，没谈妥就强行推平了村民的房子。",
    ),
    (
        COUNTY,
        C.HOME_VISIT,
        K.HEALTH,
        False,
        "村民 陈某",
        "2014-03-15",
        "",
        "县医院看病难，挂号排队要一上午，专家号根本挂不上。",
    ),
    (
        COUNTY,
        C.QUESTIONNAIRE,
        K.HEALTH,
        True,
        "",
        "2014-03-16",
        "",
        "到县医院看个病要排一上午的队，专家号挂不到。",
    ),
    (
        COUNTY,
        C.BOX,
        K.EMPLOYMENT,
        True,
        "",
        "2014-03-18",
        "",
        "希望多组织技能培训，帮助返乡农民工在家门口就业。",
    ),
    (
        COUNTY,
        C.HOTLINE_12345,
        K.FOOD_DRUG,
        True,
        "",
        "2014-03-19",
        "",
        "学校门口的小吃摊卫生条件差，没有人检查，孩子吃了拉肚子。",
    ),
    (
        COUNTY,
        C.PORTAL,
        K.ENVIRONMENT,
        False,
        "村民 周某",
        "2014-03-20",
        "",
        "村南的河道被养殖场排污，河水发黑发臭，夏天气味熏人。",
    ),
    (
        COUNTY,
        C.SYMPOSIUM,
        K.ENVIRONMENT,
        True,
        "",
        "2014-03-21",
        "",
        "养殖场往河里排粪污，河水又黑又臭，附近群众苦不堪言。",
    ),
    (
        TOWN,
        C.HOME_VISIT,
        K.LAND,
        False,
        "东街村村民 孙某",
        "2014-03-12",
        "",
        "城关镇东街村征地已经两年了，补偿款到现在还没有发到村民手里。",
    ),
    (
        TOWN,
        C.LETTER_VISIT,
        K.LAND,
        True,
        "",
        "2014-03-14",
        "",
        "东街村的征地补偿款拖了两年还没兑现，村民多次找镇里都没有结果。",
    ),
    (
        TOWN,
        C.SYMPOSIUM,
        K.LAND,
        True,
        "",
        "2014-03-17",
        "",
        "征地补偿款迟迟不到位，东街村村民的地被占了两年还没拿到钱。",
    ),
    (
        TOWN,
        C.QUESTIONNAIRE,
        K.SOCIAL_SECURITY,
        True,
        "",
        "2014-03-18",
        "",
        "村里评低保优亲厚友，村干部的亲戚吃低保，真正困难的人评不上。",
    ),
    (
        TOWN,
        C.BOX,
        K.SOCIAL_SECURITY,
        True,
        "",
        "2014-03-19",
        "",
        "低保评定不公开不公平，村干部把低保给了自己的亲戚。",
    ),
    (
        TOWN,
        C.HOME_VISIT,
        K.TRANSPORT,
        False,
        "东街村村民 吴某",
        "2014-03-20",
        "",
        "东街村到镇上的路灯坏了半年没人修，晚上走路很不安全。",
    ),
    (
        VILLAGE,
        C.HOME_VISIT,
        K.FORMALISM,
        True,
        "",
        "2014-03-21",
        "",
        "村务不公开，村里的账目从来不贴出来，群众不知道钱花在哪。",
    ),
    (
        VILLAGE,
        C.SYMPOSIUM,
        K.OTHER,
        False,
        "村民 郑某",
        "2014-03-22",
        "",
        "我们村的自来水经常停水，水质发黄，喝着不放心。",
    ),
    (
        VILLAGE,
        C.BOX,
        K.PUBLIC_ORDER,
        True,
        "",
        "2014-03-23",
        "",
        "晚上经常有人在村口飙车，噪音大还容易出事，希望加强巡逻。",
    ),
    (
        POLICE,
        C.STYLE_HOTLINE,
        K.LAW_ENFORCEMENT,
        True,
        "",
        "2014-03-13",
        "",
        "派出所办户口迁移手续太慢，等了一个月还没办下来。",
    ),
    (
        POLICE,
        C.HOTLINE_12345,
        K.LAW_ENFORCEMENT,
        True,
        "",
        "2014-03-15",
        "",
        "交警在路口乱罚款，不开票据，罚了钱就放行。",
    ),
    (
        EDUCATION,
        C.LETTER_VISIT,
        K.EDUCATION,
        True,
        "",
        "2014-03-14",
        "",
        "学校以各种名义乱收费，资料费、补课费一学期交好几百。",
    ),
    (
        EDUCATION,
        C.QUESTIONNAIRE,
        K.EDUCATION,
        True,
        "",
        "2014-03-16",
        "",
        "孩子学校收补课费、资料费，名目繁多，家长负担重。",
    ),
]
# Sent through the public page (背靠背 and 实名), as of the day given.
PUBLIC: list[tuple[str, str, bool, str, str, str]] = [
    (
        CENTRE,
        K.BUREAUCRATISM,
        True,
        "",
        "2014-03-18",
        "在政务中心办证要反复跑腿，窗口不一次性告知需要的材料，群众来回跑好多次。",
    ),
    (
        CENTRE,
        K.BUREAUCRATISM,
        False,
        "网友 老马",
        "2014-03-19",
        "上班时间窗口人员低头玩手机，办事的人排了很长的队没人理。",
    ),
    (
        COUNTY,
        K.EXTRAVAGANCE,
        True,
        "",
        "2014-03-20",
        "经常看到公务车周末停在饭店门口、景区停车场，公车私用问题没有根治。",
    ),
    (TOWN, K.LAND, True, "", "2014-03-21", "我们村的地被征两年了，补偿款一直拖欠不发，希望领导过问一下。"),
]
PUBLISHED_TEXT = PUBLIC[0][5]
ANSWER_CENTRE = (
    "经查，县政务服务中心部分窗口未落实一次性告知制度，致使群众多次往返。中心已于4月1日起推行"
    "“一次性告知单”，所有审批事项的材料清单在大厅和门户网站公开；设立咨询导办台，实行首问负责和"
    "限时办结，对“让群众跑两趟以上”的事项逐件倒查责任。欢迎群众继续监督，监督电话：12345。"
)
ANSWER_CARS = (
    "县纪委已对反映的公车私用问题开展专项检查，对查实的两起问题给予通报批评并责令整改。"
    "下一步将全面推行公务用车标识化管理和GPS定位，节假日公车一律封存。"
)


def _opinions(ctx: Any) -> None:
    for code, channel, category, anonymous, submitter, day, about, text in OPINIONS:
        unit = ctx.units[code]
        if Opinion.objects.filter(unit=unit, text=text).exists():
            continue
        received = datetime.date.fromisoformat(day)
        person = Person.objects.filter(code=f"P{code}-{about}").first() if about else None
        with on(received):
            services.opinion_create(
                actor=ctx.admin,
                unit=unit,
                channel=channel,
                category=category,
                text=text,
                received_on=received,
                is_anonymous=anonymous,
                submitter_name=submitter,
                submitter_contact="" if anonymous else f"1390393{zlib.crc32(text.encode()) % 10000:04d}",
                about_person=person,
            )
    for code, category, anonymous, name, day, text in PUBLIC:
        unit = ctx.units[code]
        if Opinion.objects.filter(unit=unit, text=text).exists():
            continue
        with on(datetime.date.fromisoformat(day)):
            services.opinion_submit_public(
                unit=unit, category=category, text=text, is_anonymous=anonymous, submitter_name=name
            )


def _group_of(unit: Unit, text: str) -> OpinionGroup | None:
    opinion = Opinion.objects.filter(unit=unit, text=text).select_related("group").first()
    return opinion.group if opinion else None


def _sorting(ctx: Any) -> None:
    county, centre, town = ctx.units[COUNTY], ctx.units[CENTRE], ctx.units[TOWN]
    day = datetime.date(2014, 3, 28)
    with on(day):
        for unit in (county, centre, town):
            if not OpinionGroup.objects.filter(unit=unit).exists():
                services.opinion_grouping_run(actor=ctx.admin, unit=unit)

    # 政务服务中心: the 跑多次 group is confirmed, claimed by the 班子, answered and published.
    group = _group_of(centre, PUBLISHED_TEXT)
    if group is not None and group.status == GroupStatus.PROPOSED:
        with on(day):
            group = services.group_confirm(
                actor=ctx.admin, group=group, title="到政务服务中心办事反复跑腿、不一次性告知"
            )
    if group is not None and group.status == GroupStatus.CONFIRMED:
        with on(datetime.date(2014, 3, 31)):
            group = services.group_claim(actor=ctx.admin, group=group, kind=ClaimKind.BODY)
    if group is not None and group.status == GroupStatus.CLAIMED:
        with on(datetime.date(2014, 4, 3)):
            group = services.group_answer(actor=ctx.admin, group=group, answer=ANSWER_CENTRE)
    if group is not None and group.status == GroupStatus.ANSWERED:
        with on(datetime.date(2014, 4, 5)):
            services.group_publish(actor=ctx.admin, group=group)

    # 政务服务中心: the attitude group is confirmed and waits to be claimed.
    attitude = _group_of(centre, OPINIONS[3][7])
    if attitude is not None and attitude.status == GroupStatus.PROPOSED:
        with on(day):
            services.group_confirm(
                actor=ctx.admin, group=attitude, title="窗口工作人员态度生硬、脸难看话难听"
            )

    # 清丰县: 公车私用 claimed by the 纪委书记 with a draft answer; 公款吃喝 confirmed, unclaimed.
    cars = _group_of(county, OPINIONS[7][7])
    if cars is not None and cars.status == GroupStatus.PROPOSED:
        with on(day):
            cars = services.group_confirm(actor=ctx.admin, group=cars, title="领导干部公车私用、接送子女")
    if cars is not None and cars.status == GroupStatus.CONFIRMED:
        with on(datetime.date(2014, 4, 1)):
            cars = services.group_claim(
                actor=ctx.admin, group=cars, kind=ClaimKind.LEADER, person=ctx.people[f"P{COUNTY}-JW"]
            )
    if cars is not None and cars.status == GroupStatus.CLAIMED:
        with on(datetime.date(2014, 4, 6)):
            services.group_answer(actor=ctx.admin, group=cars, answer=ANSWER_CARS)
    dining = _group_of(county, OPINIONS[10][7])
    if dining is not None and dining.status == GroupStatus.PROPOSED:
        with on(day):
            services.group_confirm(actor=ctx.admin, group=dining, title="借检查调研之名公款吃喝、超标准接待")

    # 城关镇: 征地补偿款 confirmed and claimed by the 班子.
    land = _group_of(town, OPINIONS[23][7])
    if land is not None and land.status == GroupStatus.PROPOSED:
        with on(day):
            land = services.group_confirm(actor=ctx.admin, group=land, title="东街村征地补偿款拖欠两年未兑现")
    if land is not None and land.status == GroupStatus.CONFIRMED:
        with on(datetime.date(2014, 4, 2)):
            services.group_claim(actor=ctx.admin, group=land, kind=ClaimKind.BODY)

    published = Opinion.objects.filter(unit=centre, text=PUBLISHED_TEXT).first()
    if published is not None:
        ctx.accounts.append(
            (
                published.receipt_display,
                "意见回执码（答复已发布）",
                f"{reverse('stages:public_receipt')}?code={published.receipt_code}",
            )
        )


# --- surveys --------------------------------------------------------------------------------

EVALUATION_TITLE = "清丰县乡镇领导班子第一环节群众评价"
# (satisfied, basically satisfied, dissatisfied) on the overall question, per township.
VOTES = {TOWN: (20, 6, 4), TOWN_2: (8, 8, 14)}
POLL_TITLE = "清丰县政务服务中心作风民意调查"


def _surveys(ctx: Any) -> None:
    county = ctx.units[COUNTY]
    targets = [ctx.units[TOWN], ctx.units[TOWN_2]]
    survey = Survey.objects.filter(unit=county, title=EVALUATION_TITLE).first()
    if survey is None:
        with on(datetime.date(2014, 4, 9)):
            survey = services.survey_create(
                actor=ctx.admin,
                unit=county,
                title=EVALUATION_TITLE,
                purpose=SurveyPurpose.STAGE_ONE,
                subject="学习教育、听取意见环节领导班子作风状况",
                mode=SurveyMode.RESPONDENTS,
                opens_at=_at(datetime.date(2014, 4, 10), 8),
                closes_at=_at(datetime.date(2014, 4, 20), 18),
                targets=targets,
            )
            labels = ["机关干部职工"] * 10 + ["“两代表一委员”"] * 10 + ["群众代表"] * 10
            services.survey_tokens_issue(actor=ctx.admin, survey=survey, respondents=labels)
            survey = services.survey_open(actor=ctx.admin, survey=survey)
    if survey.status == SurveyStatus.OPEN and not survey.responses.exists():
        _answer_evaluation(survey)
    if survey.status == SurveyStatus.OPEN:
        with on(datetime.date(2014, 4, 21)):
            survey = services.survey_close(actor=ctx.admin, survey=survey)
    remediation = survey.remediations.filter(work_done="").first()
    if remediation is not None:
        with on(datetime.date(2014, 4, 25)):
            services.remediation_record(
                actor=ctx.admin,
                remediation=remediation,
                work_done="镇党委召开专题会议查找原因；班子成员分包村再次入户走访征求意见，补课学习两次。",
            )

    centre = ctx.units[CENTRE]
    if not Survey.objects.filter(unit=county, title=POLL_TITLE).exists():
        with on(datetime.date(2014, 6, 14)):
            poll = services.survey_create(
                actor=ctx.admin,
                unit=county,
                title=POLL_TITLE,
                purpose=SurveyPurpose.POLL,
                subject="窗口服务作风和“四风”整治成效",
                mode=SurveyMode.PUBLIC,
                opens_at=_at(datetime.date(2014, 6, 15), 8),
                closes_at=_at(datetime.date(2014, 6, 30), 18),
                targets=[centre],
            )
            services.survey_open(actor=ctx.admin, survey=poll)


def _answer_evaluation(survey: Survey) -> None:
    questions = list(survey.questions.prefetch_related("options").order_by("sort_order"))
    targets = list(survey.targets.order_by("sort_order"))
    tokens = list(survey.tokens.filter(used_at__isnull=True).order_by("pk"))
    with on(datetime.date(2014, 4, 15)):
        for index, token in enumerate(tokens):
            answers: dict[int, dict[int, int]] = {}
            for target in targets:
                satisfied, basic, _no = VOTES[target.unit.code]
                choice = 0 if index < satisfied else 1 if index < satisfied + basic else 2
                answers[target.pk] = {q.pk: list(q.options.all())[choice].pk for q in questions}
            services.survey_respond(survey=survey, answers=answers, token=token.token)


def seed(ctx: Any) -> None:
    if COUNTY not in ctx.units:
        return
    _study(ctx)
    _opinions(ctx)
    _sorting(ctx)
    _surveys(ctx)
    _groundwork(ctx)
    meeting_evaluation(ctx)


# --- groundwork for the rest of the province --------------------------------------------
# Units the calendar demo moves beyond stage 1 need what the stage-1 gates ask for: three
# study sessions, and the opinions they heard sorted and claimed. The detailed 清丰县 records
# above are left as they are (some groups still wait to be claimed there, on purpose).

GROUNDWORK_KINDS = [StudyKind.CENTRAL_GROUP, StudyKind.DISCUSSION, StudyKind.TRAINING]


def _groundwork(ctx: Any) -> None:
    from campaign.demo import target_position
    from campaign.models import StageCalendar, UnitStage, WindowOverride
    from campaign.windows import CalendarBook
    from units.choices import PostRole

    book = CalendarBook(
        StageCalendar.objects.filter(campaign=ctx.campaign),
        WindowOverride.objects.filter(campaign=ctx.campaign),
    )
    detailed = {unit.pk for unit in Unit.objects.filter(code__startswith=COUNTY)}
    states = UnitStage.objects.filter(campaign=ctx.campaign).select_related("unit")
    for state in states:
        unit = state.unit
        windows = book.windows(unit_id=unit.pk, unit_path=unit.path, level=unit.level)
        if unit.pk in detailed or target_position(unit.code, windows) < 2 or not windows:
            continue
        start = windows[0].start
        principal = unit.posts.filter(role=PostRole.PRINCIPAL).select_related("person").first()
        held = StudySession.objects.filter(unit=unit).count()
        for index in range(held, 3):
            with on(start + datetime.timedelta(days=7 * (index + 1))):
                services.study_session_create(
                    actor=ctx.admin,
                    unit=unit,
                    kind=GROUNDWORK_KINDS[index],
                    held_on=start + datetime.timedelta(days=7 * (index + 1)),
                    hours=Decimal("3"),
                    topic="学习习近平总书记系列重要讲话和党的群众路线教育实践活动有关文件",
                    participants=[principal.person] if principal else [],
                )
        if Opinion.objects.filter(unit=unit).exists():
            continue
        heard = start + datetime.timedelta(days=20)
        with on(heard):
            opinions = [
                services.opinion_create(
                    actor=ctx.admin,
                    unit=unit,
                    channel=channel,
                    category=category,
                    text=f"{unit.name}{text}",
                    received_on=heard,
                    is_anonymous=True,
                )
                for channel, category, text in (
                    (OpinionChannel.SYMPOSIUM, OpinionCategory.FORMALISM, "会议和文件偏多，基层迎检负担重。"),
                    (
                        OpinionChannel.QUESTIONNAIRE,
                        OpinionCategory.FORMALISM,
                        "开会发文多，基层疲于应付检查。",
                    ),
                )
            ]
            group = services.group_create(
                actor=ctx.admin, unit=unit, opinions=opinions, title="文山会海、迎检负担重"
            )
            services.group_claim(actor=ctx.admin, group=group, kind=ClaimKind.BODY)


MEETING_EVALUATION_TITLE = "濮阳市政务服务中心专题民主生活会情况通报暨群众评议"


def meeting_evaluation(ctx: Any) -> Survey:
    """濮阳市政务服务中心 finished stage 2: its 群众评议 after the meeting came out above 2/3.

    materials.meeting_demo links its 情况通报会 to this survey (whichever demo runs first makes it)."""
    centre = ctx.units["410900-ZWZX"]
    survey = Survey.objects.filter(unit=centre, title=MEETING_EVALUATION_TITLE).first()
    if survey is not None:
        return survey
    with on(datetime.date(2014, 6, 10)):
        survey = services.survey_create(
            actor=ctx.admin,
            unit=centre,
            title=MEETING_EVALUATION_TITLE,
            purpose=SurveyPurpose.MEETING,
            subject="查摆问题、撰写对照检查材料、召开专题民主生活会和开展批评与自我批评情况",
            mode=SurveyMode.RESPONDENTS,
            # wide enough that the responses on 06-11 fall inside whatever the hour of seeding
            opens_at=_at(datetime.date(2014, 6, 10), 8),
            closes_at=_at(datetime.date(2014, 6, 13), 18),
            targets=[centre],
        )
        services.survey_tokens_issue(actor=ctx.admin, survey=survey, respondents=["服务对象代表"] * 20)
        survey = services.survey_open(actor=ctx.admin, survey=survey)
    questions = list(survey.questions.prefetch_related("options").order_by("sort_order"))
    target = survey.targets.get()
    with on(datetime.date(2014, 6, 11)):
        for index, token in enumerate(survey.tokens.order_by("pk")):
            choice = 0 if index < 15 else 1 if index < 19 else 2
            answers = {target.pk: {q.pk: list(q.options.all())[choice].pk for q in questions}}
            services.survey_respond(survey=survey, answers=answers, token=token.token)
    with on(datetime.date(2014, 6, 14)):
        return services.survey_close(actor=ctx.admin, survey=survey)
