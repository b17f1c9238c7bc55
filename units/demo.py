"""The demo province: 河南省 with 濮阳市 [002] and 许昌市 (魏都区 [001]).

Names of people are invented. Every write goes through the services, as the
demo administrator, and every step looks before it writes, so running the
command again changes nothing.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from campaign.models import Campaign
from campaign.services import campaign_create
from units import services
from units.choices import OrgKind, OrgRole, PostRole, Rank, UnitKind
from units.models import ContactPoint, Organization, OrgMembership, Person, Post, SupervisionAssignment, Unit

DEMO_PASSWORD = "demo2014"
POSTS_FROM = datetime.date(2011, 9, 1)
CAMPAIGN_START = datetime.date(2014, 1, 20)
CAMPAIGN_END = datetime.date(2014, 9, 30)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "建国志强海涛红梅丽华卫东振华国庆文军晓明玉兰桂芳永刚春生秀英立新德胜宏伟春华金山爱民学军淑珍保国光明丽娟新民胜利朝阳建华红军秀兰玉珍跃进凤英长青素芳铁军"  # noqa: E501


@functools.cache
def _password_hash(hasher: str) -> str:
    # `hasher` only keys the cache: make_password uses the first configured hasher, which tests
    # replace with a cheap one.
    return make_password(DEMO_PASSWORD)


def demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once for every demo account (PBKDF2 takes ~0.3 s a call, and the demo
    has over fifty accounts); the accounts share the salt, which a demo can afford."""
    return _password_hash(settings.PASSWORD_HASHERS[0])


def demo_user(username: str, first_name: str, **fields: Any) -> Any:
    """The demo account `username`, created with the demo password and ``fields`` if it is missing."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(
            username=username, first_name=first_name, password=demo_password_hash(), **fields
        )
    return user


def invented_name(seed: str) -> str:
    """A stable, invented Chinese name for a demo person."""
    digest = hashlib.sha256(seed.encode()).digest()
    surname = SURNAMES[digest[0] % len(SURNAMES)]
    pairs = [GIVEN[i : i + 2] for i in range(0, len(GIVEN) - 1, 2)]
    given = pairs[int.from_bytes(digest[1:3], "big") % len(pairs)]
    if digest[3] % 3 == 0:
        given = given[0]
    return surname + given


@dataclass
class DemoContext:
    admin: Any
    campaign: Campaign | None = None
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


# --- the tree --------------------------------------------------------------

# (code, name, kind, children)
COUNTY_DIRECT = [
    ("JYJ", "教育局", UnitKind.DEPARTMENT),
    ("GAJ", "公安局", UnitKind.ENFORCEMENT),
    ("ZWZX", "政务服务中心", UnitKind.ENFORCEMENT),
]
CITY_DIRECT = [
    ("ZZB", "中共{city}委组织部", UnitKind.DEPARTMENT),
    ("JYJ", "{city}教育局", UnitKind.DEPARTMENT),
    ("GAJ", "{city}公安局", UnitKind.ENFORCEMENT),
    ("ZWZX", "{city}政务服务中心", UnitKind.ENFORCEMENT),
    ("RMYY", "{city}人民医院", UnitKind.ENTERPRISE),
    ("SHZZ", "{city}慈善总会", UnitKind.SOCIAL_ORG),
]
CITIES = [
    (
        "410900",
        "濮阳市",
        [
            (
                "410902",
                "华龙区",
                [("中原路街道", ["建业社区", "绿城社区"]), ("岳村镇", ["岳村", "马呼屯村"])],
            ),
            (
                "410922",
                "清丰县",
                [("城关镇", ["东街村", "西街村", "南街村"]), ("马庄桥镇", ["马庄桥村", "后张村"])],
            ),
            ("410923", "南乐县", [("城关镇", ["北街村", "东关村"]), ("元村镇", ["元村", "王庄村"])]),
        ],
    ),
    (
        "411000",
        "许昌市",
        [
            (
                "411002",
                "魏都区",
                [("西大街街道", ["西关社区", "育才社区"]), ("丁庄街道", ["丁庄社区", "文峰社区"])],
            ),
            ("411082", "长葛市", [("和尚桥镇", ["和尚桥村", "坡胡村"]), ("后河镇", ["后河村", "孟排村"])]),
            ("411081", "禹州市", [("钧台街道", ["钧台社区", "北关社区"]), ("神垕镇", ["白峪村", "神垕村"])]),
        ],
    ),
]


def _unit(ctx: DemoContext, parent: Unit | None, code: str, name: str, kind: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        unit = services.unit_create(actor=ctx.admin, parent=parent, code=code, name=name, kind=kind)
    ctx.units[code] = unit
    return unit


def _person(ctx: DemoContext, code: str, rank: str, name: str | None = None) -> Person:
    person = Person.objects.filter(code=code).first()
    if person is None:
        person = services.person_create(
            actor=ctx.admin, name=name or invented_name(code), code=code, rank=rank
        )
    ctx.people[code] = person
    return person


def _post(
    ctx: DemoContext,
    unit: Unit,
    slot: str,
    title: str,
    role: str,
    rank: str,
    order: int,
    person: Person | None = None,
) -> Person:
    person = person or _person(ctx, f"P{unit.code}-{slot}", rank)
    if not Post.objects.filter(person=person, unit=unit, title=title).exists():
        services.post_create(
            actor=ctx.admin,
            person=person,
            unit=unit,
            title=title,
            role=role,
            start_date=POSTS_FROM,
            sort_order=order,
        )
    return person


def _leadership(ctx: DemoContext, unit: Unit, spec: list[tuple[str, str, str, str]]) -> list[Person]:
    """spec: (slot, title, role, rank) in display order."""
    return [
        _post(ctx, unit, slot, title, role, rank, order)
        for order, (slot, title, role, rank) in enumerate(spec, start=1)
    ]


def _org(ctx: DemoContext, unit: Unit, kind: str, name: str) -> Organization:
    assert ctx.campaign is not None
    org = Organization.objects.filter(campaign=ctx.campaign, unit=unit, name=name).first()
    if org is None:
        org = services.organization_create(
            actor=ctx.admin, campaign=ctx.campaign, unit=unit, kind=kind, name=name
        )
    return org


def _seat(ctx: DemoContext, org: Organization, person: Person, role: str = OrgRole.MEMBER) -> None:
    if not OrgMembership.objects.filter(organization=org, person=person).exists():
        services.membership_add(
            actor=ctx.admin, organization=org, person=person, role=role, start_date=CAMPAIGN_START
        )


def _assign(ctx: DemoContext, group: Organization, unit: Unit) -> None:
    if not SupervisionAssignment.objects.filter(group=group, unit=unit).exists():
        services.supervision_assign(actor=ctx.admin, group=group, unit=unit, start_date=CAMPAIGN_START)


def _account(ctx: DemoContext, username: str, person: Person, role_label: str) -> None:
    user = demo_user(username, person.name)
    if person.user_id != user.pk:
        services.person_link_user(actor=ctx.admin, person=person, user=user)
    ctx.accounts.append((username, role_label, f"{person.name}"))


def _staff(ctx: DemoContext, org: Organization, slot: str, count: int, rank: str) -> list[Person]:
    people = []
    for i in range(1, count + 1):
        person = _person(ctx, f"S{org.unit.code}-{slot}{i}", rank)
        _seat(ctx, org, person, OrgRole.LEADER if i == 1 else OrgRole.MEMBER)
        people.append(person)
    return people


# --- the build -------------------------------------------------------------


def seed(admin: Any) -> DemoContext:
    ctx = DemoContext(admin=admin)
    central = _unit(ctx, None, "000000", "中央", UnitKind.CENTRAL)
    province = _unit(ctx, central, "410000", "河南省", UnitKind.PROVINCE)
    ctx.campaign = Campaign.objects.filter(root_unit=province, batch=2).first() or campaign_create(
        actor=admin,
        name="第二批党的群众路线教育实践活动",
        root_unit=province,
        start_date=CAMPAIGN_START,
        end_date=CAMPAIGN_END,
        batch=2,
        min_unit_months=3,
    )

    # 中央: its 活动办 reviews (审阅) the 市委书记's material; a 巡回督导组 covers the province.
    central_office = _org(ctx, central, OrgKind.OFFICE, "中央教育实践活动领导小组办公室")
    _staff(ctx, central_office, "BGS", 2, Rank.DIVISION)
    circuit = _org(ctx, central, OrgKind.SUPERVISION_GROUP, "中央第三巡回督导组")
    _staff(ctx, circuit, "XHDD", 3, Rank.BUREAU)
    _assign(ctx, circuit, province)

    province_leaders = _leadership(
        ctx,
        province,
        [
            ("SJ", "省委书记", PostRole.PRINCIPAL, Rank.MINISTER),
            ("SZ", "省委副书记、省长", PostRole.GOVERNMENT_HEAD, Rank.MINISTER),
            ("FSJ", "省委副书记", PostRole.MEMBER, Rank.MINISTER),
            ("ZZBZ", "省委常委、组织部部长", PostRole.MEMBER, Rank.MINISTER),
        ],
    )
    leading = _org(ctx, province, OrgKind.LEADING_GROUP, "河南省委教育实践活动领导小组")
    _seat(ctx, leading, province_leaders[2], OrgRole.LEADER)
    _seat(ctx, leading, province_leaders[3], OrgRole.DEPUTY)
    province_office = _org(ctx, province, OrgKind.OFFICE, "河南省委教育实践活动领导小组办公室")
    province_staff = _staff(ctx, province_office, "BGS", 3, Rank.DIVISION)
    liaison = _org(ctx, province, OrgKind.LIAISON_GROUP, "省委活动办联络组")
    _staff(ctx, liaison, "LLZ", 2, Rank.DEPUTY_DIVISION)
    _account(ctx, "province_office", province_staff[1], "省委活动办工作人员")

    for index, (city_code, city_name, counties) in enumerate(CITIES, start=1):
        city = _build_city(ctx, province, city_code, city_name, counties)
        group = _org(ctx, province, OrgKind.SUPERVISION_GROUP, f"省委第{'一二三四五'[index - 1]}督导组")
        _staff(ctx, group, f"DD{index}", 3, Rank.BUREAU)
        _assign(ctx, group, city)
        for county_code, *_ in counties:
            _assign(ctx, group, ctx.units[county_code])
    _contact_point(ctx, province_leaders[0], ctx.units["410900"])
    _contact_point(ctx, province_leaders[2], ctx.units["411000"])
    return ctx


def _contact_point(ctx: DemoContext, person: Person, unit: Unit) -> None:
    assert ctx.campaign is not None
    if not ContactPoint.objects.filter(campaign=ctx.campaign, person=person, unit=unit).exists():
        services.contact_point_add(actor=ctx.admin, campaign=ctx.campaign, person=person, unit=unit)


def _four_bodies(ctx: DemoContext, area: Unit, short: str, rank_top: str, rank_deputy: str) -> Person:
    """The 党委 班子 and the 人大/政府/政协 党组 of a 市 or 县; returns the government head."""
    word = "市" if area.kind == UnitKind.CITY else "县"
    leaders = _leadership(
        ctx,
        area,
        [
            ("SJ", f"{short}委书记", PostRole.PRINCIPAL, rank_top),
            ("ZZ", f"{short}委副书记、{word}长", PostRole.GOVERNMENT_HEAD, rank_top),
            ("FSJ", f"{short}委副书记", PostRole.MEMBER, rank_deputy),
            ("ZZB", f"{short}委常委、组织部部长", PostRole.MEMBER, rank_deputy),
            ("JW", f"{short}委常委、纪委书记", PostRole.MEMBER, rank_deputy),
            ("XCB", f"{short}委常委、宣传部部长", PostRole.MEMBER, rank_deputy),
            ("CW", f"{short}委常委、常务副{word}长", PostRole.MEMBER, rank_deputy),
        ],
    )
    head = leaders[1]
    congress = _unit(ctx, area, f"{area.code}-RD", f"{area.name}人大常委会", UnitKind.PEOPLES_CONGRESS)
    _leadership(
        ctx,
        congress,
        [
            ("ZR", "党组书记、主任", PostRole.PRINCIPAL, rank_top),
            ("FZR1", "党组成员、副主任", PostRole.MEMBER, rank_deputy),
            ("FZR2", "党组成员、副主任", PostRole.MEMBER, rank_deputy),
        ],
    )
    government = _unit(ctx, area, f"{area.code}-ZF", f"{area.name}人民政府", UnitKind.GOVERNMENT)
    _post(ctx, government, "ZZ", f"党组书记、{word}长", PostRole.PRINCIPAL, rank_top, 1, person=head)
    _post(
        ctx,
        government,
        "CW",
        f"党组副书记、常务副{word}长",
        PostRole.MEMBER,
        rank_deputy,
        2,
        person=leaders[6],
    )
    _leadership(
        ctx,
        government,
        [
            ("FZ1", f"党组成员、副{word}长", PostRole.MEMBER, rank_deputy),
            ("FZ2", f"党组成员、副{word}长", PostRole.MEMBER, rank_deputy),
        ],
    )
    cppcc = _unit(ctx, area, f"{area.code}-ZX", f"政协{area.name}委员会", UnitKind.CPPCC)
    _leadership(
        ctx,
        cppcc,
        [
            ("ZX", "党组书记、主席", PostRole.PRINCIPAL, rank_top),
            ("FZX", "党组成员、副主席", PostRole.MEMBER, rank_deputy),
        ],
    )
    return head


def _direct_units(
    ctx: DemoContext, area: Unit, spec: Sequence[tuple[str, str, str]], city_short: str
) -> list[Unit]:
    units = []
    for suffix, template, kind in spec:
        name = template.format(city=city_short) if "{" in template else f"{area.name}{template}"
        unit = _unit(ctx, area, f"{area.code}-{suffix}", name, kind)
        head_title = "党组书记、局长" if kind in (UnitKind.DEPARTMENT, UnitKind.ENFORCEMENT) else "党委书记"
        if suffix == "ZZB":
            head_title = "部长"
        _leadership(
            ctx,
            unit,
            [
                ("ZY", head_title, PostRole.PRINCIPAL, Rank.DIVISION if area.level == 2 else Rank.SECTION),
                (
                    "FZ1",
                    "党组成员、副职",
                    PostRole.MEMBER,
                    Rank.DEPUTY_DIVISION if area.level == 2 else Rank.DEPUTY_SECTION,
                ),
                (
                    "FZ2",
                    "党组成员、副职",
                    PostRole.MEMBER,
                    Rank.DEPUTY_DIVISION if area.level == 2 else Rank.DEPUTY_SECTION,
                ),
                ("KZ", "办公室主任", PostRole.SECTION_HEAD, Rank.SECTION if area.level == 2 else Rank.OTHER),
            ],
        )
        units.append(unit)
    return units


def _build_city(ctx: DemoContext, province: Unit, code: str, name: str, counties: list[Any]) -> Unit:
    city = _unit(ctx, province, code, name, UnitKind.CITY)
    short = name  # 濮阳市 → 濮阳市委
    _four_bodies(ctx, city, short, Rank.BUREAU, Rank.DEPUTY_BUREAU)
    direct = _direct_units(ctx, city, CITY_DIRECT, short)
    education = direct[1]
    school = _unit(ctx, education, f"{code}-YZ", f"{name}第一高级中学", UnitKind.SCHOOL)
    _leadership(
        ctx,
        school,
        [
            ("ZY", "党委书记", PostRole.PRINCIPAL, Rank.SECTION),
            ("FZ1", "校长", PostRole.MEMBER, Rank.SECTION),
        ],
    )

    leading = _org(ctx, city, OrgKind.LEADING_GROUP, f"{short}委教育实践活动领导小组")
    _seat(ctx, leading, ctx.people[f"P{code}-SJ"], OrgRole.LEADER)
    office = _org(ctx, city, OrgKind.OFFICE, f"{short}委教育实践活动领导小组办公室")
    staff = _staff(ctx, office, "BGS", 3, Rank.SECTION)
    groups = [_org(ctx, city, OrgKind.SUPERVISION_GROUP, f"{short}委第{'一二三'[i]}督导组") for i in range(3)]
    supervisors = [_staff(ctx, group, f"DD{i + 1}", 3, Rank.DIVISION) for i, group in enumerate(groups)]

    for i, (county_code, county_name, townships) in enumerate(counties):
        county = _build_county(ctx, city, county_code, county_name, townships)
        _assign(ctx, groups[i % 2], county)
    for unit in direct:
        _assign(ctx, groups[2], unit)
    _assign(ctx, groups[2], school)
    # 分管: the 常务副市长 oversees education and the hospital; the 组织部长 the 组织部.
    _oversee(ctx, f"P{code}-CW", city, [direct[1], direct[4]])
    _oversee(ctx, f"P{code}-ZZB", city, [direct[0]])
    _oversee(ctx, f"P{code}-JW", city, [direct[2], direct[3]])
    _oversee(ctx, f"P{code}-XCB", city, [direct[5]])
    # The 市委书记 takes his first county as contact point.
    _contact_point(ctx, ctx.people[f"P{code}-SJ"], ctx.units[counties[1][0]])

    if code == "410900":
        _account(ctx, "office", staff[1], "濮阳市委活动办工作人员")
        _account(ctx, "supervisor", supervisors[1][1], "濮阳市委第二督导组成员（督导清丰县）")
        _account(ctx, "city_secretary", ctx.people[f"P{code}-SJ"], "濮阳市委书记")
    return city


def _oversee(ctx: DemoContext, person_code: str, area: Unit, targets: list[Unit]) -> None:
    post = Post.objects.get(person__code=person_code, unit=area)
    if set(post.oversees.values_list("pk", flat=True)) != {t.pk for t in targets}:
        services.post_update(
            actor=ctx.admin,
            post=post,
            version=post.version,
            title=post.title,
            role=post.role,
            sort_order=post.sort_order,
            end_date=post.end_date,
            oversees=targets,
        )


def _build_county(ctx: DemoContext, city: Unit, code: str, name: str, townships: list[Any]) -> Unit:
    county = _unit(ctx, city, code, name, UnitKind.COUNTY)
    short = name  # 清丰县 → 清丰县委
    _four_bodies(ctx, county, short, Rank.DIVISION, Rank.DEPUTY_DIVISION)
    direct = _direct_units(ctx, county, COUNTY_DIRECT, short)
    leading = _org(ctx, county, OrgKind.LEADING_GROUP, f"{short}委教育实践活动领导小组")
    _seat(ctx, leading, ctx.people[f"P{code}-SJ"], OrgRole.LEADER)
    office = _org(ctx, county, OrgKind.OFFICE, f"{short}委教育实践活动领导小组办公室")
    staff = _staff(ctx, office, "BGS", 2, Rank.SECTION)
    group = _org(ctx, county, OrgKind.SUPERVISION_GROUP, f"{short}委第一督导组")
    _staff(ctx, group, "DD1", 3, Rank.SECTION)
    for unit in direct:
        _assign(ctx, group, unit)
    _oversee(ctx, f"P{code}-CW", county, [direct[0]])
    _oversee(ctx, f"P{code}-JW", county, [direct[1], direct[2]])

    for t_index, (township_name, villages) in enumerate(townships, start=1):
        t_code = f"{code}{t_index:03d}"
        township = _unit(ctx, county, t_code, f"{name}{township_name}", UnitKind.TOWNSHIP)
        street = township_name.endswith("街道")
        _leadership(
            ctx,
            township,
            [
                ("SJ", "党工委书记" if street else "党委书记", PostRole.PRINCIPAL, Rank.SECTION),
                (
                    "ZZ",
                    "党工委副书记、办事处主任" if street else "党委副书记、镇长",
                    PostRole.GOVERNMENT_HEAD,
                    Rank.SECTION,
                ),
                ("FSJ", "党委副书记", PostRole.MEMBER, Rank.DEPUTY_SECTION),
                ("ZZW", "党委委员、组织委员", PostRole.MEMBER, Rank.DEPUTY_SECTION),
                ("JW", "党委委员、纪委书记", PostRole.MEMBER, Rank.DEPUTY_SECTION),
            ],
        )
        _assign(ctx, group, township)
        for v_index, village_name in enumerate(villages, start=1):
            kind = UnitKind.COMMUNITY if village_name.endswith("社区") else UnitKind.VILLAGE
            village = _unit(ctx, township, f"{t_code}{v_index:03d}", f"{township_name}{village_name}", kind)
            secretary_title = (
                "社区党委书记、居委会主任" if kind == UnitKind.COMMUNITY else "村党支部书记、村委会主任"
            )
            _leadership(
                ctx,
                village,
                [
                    ("SJ", secretary_title, PostRole.PRINCIPAL, Rank.OTHER),
                    ("WY1", "支部委员", PostRole.MEMBER, Rank.OTHER),
                    ("WY2", "支部委员", PostRole.MEMBER, Rank.OTHER),
                ],
            )
    if code == "410922":
        _account(ctx, "county_office", staff[0], "清丰县委活动办工作人员")
        _account(ctx, "principal", ctx.people[f"P{code}-SJ"], "清丰县委书记（单位主要负责同志）")
        _account(ctx, "member", ctx.people[f"P{code}-ZZB"], "清丰县委常委、组织部部长（班子成员）")
        _account(ctx, "village", ctx.people[f"P{code}001001-SJ"], "清丰县城关镇东街村党支部书记")
    return county
