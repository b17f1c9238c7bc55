"""Synthetic province for ``generate_province``: the unit tree, people, posts, organisations.

At scale 1.0: 13 cities, 100 counties, 1,300 townships, 20,000 villages and communities,
the 人大/政府/政协 of each city and county, ~40 直属单位 per city and ~25 per county (a
quarter of them with two 下属机构) — about 25,000 units and 200,000 people with posts.
Paths are computed here (treebeard materialized path, ``Unit.steplen`` characters a step).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from campaign.generate import Context, UnitInfo, spread
from campaign.models import Campaign
from units.choices import OrgKind, OrgRole, PostRole, Rank, UnitCategory, UnitKind
from units.demo import CAMPAIGN_END, CAMPAIGN_START, demo_password_hash, invented_name
from units.models import (
    Organization,
    OrgMembership,
    Person,
    Post,
    SupervisionAssignment,
    Unit,
)

SYLLABLES = "安宁平阳东西南长清河山川林丰华泰兴盛和源江湖桥城庄集店营寨岗坡新永福康乐明德光"
CITY_DIRECT = [
    ("组织部", UnitKind.DEPARTMENT),
    ("宣传部", UnitKind.DEPARTMENT),
    ("发展改革委", UnitKind.DEPARTMENT),
    ("教育局", UnitKind.DEPARTMENT),
    ("公安局", UnitKind.ENFORCEMENT),
    ("民政局", UnitKind.DEPARTMENT),
    ("财政局", UnitKind.DEPARTMENT),
    ("人力资源和社会保障局", UnitKind.ENFORCEMENT),
    ("国土资源局", UnitKind.ENFORCEMENT),
    ("住房和城乡建设局", UnitKind.ENFORCEMENT),
    ("交通运输局", UnitKind.ENFORCEMENT),
    ("水利局", UnitKind.DEPARTMENT),
    ("农业局", UnitKind.DEPARTMENT),
    ("卫生局", UnitKind.DEPARTMENT),
    ("环境保护局", UnitKind.ENFORCEMENT),
    ("工商行政管理局", UnitKind.ENFORCEMENT),
    ("质量技术监督局", UnitKind.ENFORCEMENT),
    ("食品药品监督管理局", UnitKind.ENFORCEMENT),
    ("安全生产监督管理局", UnitKind.ENFORCEMENT),
    ("审计局", UnitKind.DEPARTMENT),
    ("统计局", UnitKind.DEPARTMENT),
    ("政务服务中心", UnitKind.ENFORCEMENT),
    ("人民医院", UnitKind.ENTERPRISE),
    ("第一高级中学", UnitKind.SCHOOL),
    ("供电公司", UnitKind.ENTERPRISE),
]
SUBORDINATE_NAMES = ["办公室", "执法大队", "服务中心", "稽查支队"]
VILLAGE_SUFFIX = ["村", "村", "村", "村", "社区"]
LEADERS = 12  # 班子 of a 市委/县委 (besides the secretary and the head of government)


def _place(ctx: Context, suffix: str) -> str:
    return ctx.rng.choice(SYLLABLES) + ctx.rng.choice(SYLLABLES) + suffix


def _rank(level: int, category: str, role: str) -> str:
    top = role in (PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD)
    if level <= 1:
        return Rank.MINISTER if top else Rank.BUREAU
    if level == 2:
        if category in (UnitCategory.TERRITORIAL, UnitCategory.FOUR_BODIES):
            return Rank.BUREAU if top else Rank.DEPUTY_BUREAU
        return Rank.DIVISION if top else Rank.DEPUTY_DIVISION
    if level == 3:
        if category in (UnitCategory.TERRITORIAL, UnitCategory.FOUR_BODIES):
            return Rank.DIVISION if top else Rank.DEPUTY_DIVISION
        return Rank.SECTION if top else Rank.DEPUTY_SECTION
    if level == 4:
        return Rank.SECTION if top else Rank.DEPUTY_SECTION
    return Rank.OTHER


# --- the tree ------------------------------------------------------------------------------


class _Tree:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.first_pk = ctx.pks(Unit, 0)
        self.next_pk = self.first_pk
        self.codes = 0

    def add(self, parent: UnitInfo | None, name: str, kind: str, level: int, category: str) -> UnitInfo:
        if parent is None:
            last = Unit.objects.get_last_root_node()
            step = (
                (Unit._str2int(last.path[: Unit.steplen]) if last else 0)
                + 1
                + len([u for u in self.ctx.units if u.parent is None])
            )
            path, depth = Unit._get_path(None, 1, step), 1
        else:
            parent.numchild += 1
            path, depth = Unit._get_path(parent.path, parent.depth + 1, parent.numchild), parent.depth + 1
        self.codes += 1
        unit = UnitInfo(
            pk=self.next_pk,
            path=path,
            depth=depth,
            level=level,
            kind=kind,
            category=category,
            code=f"{self.ctx.prefix}{self.codes:07d}",
            name=name,
            parent=parent,
        )
        self.next_pk += 1
        unit.area = unit if category == UnitCategory.TERRITORIAL else (parent.area if parent else None)
        self.ctx.units.append(unit)
        return unit


def _build_tree(ctx: Context) -> None:
    tree = _Tree(ctx)
    central = tree.add(None, "中央", UnitKind.CENTRAL, 0, UnitCategory.TERRITORIAL)
    province = tree.add(central, "豫中省", UnitKind.PROVINCE, 1, UnitCategory.TERRITORIAL)
    ctx.province = province
    cities = ctx.n(13)
    counties = spread(max(cities, ctx.n(100)), cities)
    n_counties = sum(counties)
    townships = spread(max(n_counties, ctx.n(1300)), n_counties)
    villages = spread(max(sum(townships), ctx.n(20000)), sum(townships))
    direct_share = min(1.0, ctx.scale * 4)
    city_direct = max(2, round(40 * direct_share))
    county_direct = max(2, round(25 * direct_share))
    county_index = township_index = 0
    for c in range(cities):
        city = tree.add(province, _place(ctx, "市"), UnitKind.CITY, 2, UnitCategory.TERRITORIAL)
        _four_bodies(tree, city)
        _direct_units(ctx, tree, city, city_direct)
        for _k in range(counties[c]):
            county = tree.add(city, _place(ctx, "县"), UnitKind.COUNTY, 3, UnitCategory.TERRITORIAL)
            _four_bodies(tree, county)
            _direct_units(ctx, tree, county, county_direct)
            for _t in range(townships[county_index]):
                township = tree.add(county, _place(ctx, "镇"), UnitKind.TOWNSHIP, 4, UnitCategory.TERRITORIAL)
                for v in range(villages[township_index]):
                    suffix = VILLAGE_SUFFIX[v % len(VILLAGE_SUFFIX)]
                    kind = UnitKind.COMMUNITY if suffix == "社区" else UnitKind.VILLAGE
                    tree.add(township, _place(ctx, suffix), kind, 5, UnitCategory.TERRITORIAL)
                township_index += 1
            county_index += 1
    ctx.write(
        Unit,
        (
            Unit(
                pk=u.pk,
                path=u.path,
                depth=u.depth,
                numchild=u.numchild,
                name=u.name,
                code=u.code,
                kind=u.kind,
                level=u.level,
                category=u.category,
            )
            for u in ctx.units
        ),
    )
    ctx.pks(Unit, len(ctx.units))


def _four_bodies(tree: _Tree, area: UnitInfo) -> None:
    short = area.name
    for kind, label in (
        (UnitKind.PEOPLES_CONGRESS, "人大常委会"),
        (UnitKind.GOVERNMENT, "人民政府"),
        (UnitKind.CPPCC, "政协"),
    ):
        tree.add(area, short + label, kind, area.level, UnitCategory.FOUR_BODIES)


def _direct_units(ctx: Context, tree: _Tree, area: UnitInfo, count: int) -> None:
    prefix = area.name[:-1] if area.level == 2 else area.name
    for i in range(count):
        name, kind = CITY_DIRECT[i % len(CITY_DIRECT)]
        if i >= len(CITY_DIRECT):
            name = f"{name}（{i // len(CITY_DIRECT) + 1}）"
        unit = tree.add(area, prefix + name, kind, area.level, UnitCategory.DIRECT)
        if i % 4 == 3:
            for s in range(2):
                tree.add(
                    unit,
                    unit.name + SUBORDINATE_NAMES[s + (i // 4) % 3],
                    UnitKind.SUBORDINATE,
                    area.level,
                    UnitCategory.SUBORDINATE,
                )


# --- people ---------------------------------------------------------------------------------


class _People:
    """Buffers users, people, posts and seats; flushes them in FK order."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.User = get_user_model()
        self.password = demo_password_hash()
        self.users: list[Any] = []
        self.people: list[Person] = []
        self.posts: list[Post] = []
        self.seats: list[OrgMembership] = []
        self.counter = 0

    def person(self, rank: str, *, account: str | None = None, with_user: bool = False) -> int:
        ctx = self.ctx
        pk = ctx.pks(Person, 1)
        self.counter += 1
        code = f"{ctx.prefix}P{self.counter:07d}"
        name = invented_name(code)
        user_id = None
        if with_user or account:
            user_id = ctx.pks(self.User, 1)
            self.users.append(
                self.User(
                    pk=user_id,
                    username=account or f"{ctx.prefix.lower()}_{pk}",
                    password=self.password,
                    first_name=name,
                    is_active=True,
                )
            )
            ctx.person_user[pk] = user_id
        ctx.person_rank[pk] = rank
        self.people.append(Person(pk=pk, name=name, code=code, rank=rank, user_id=user_id))
        if len(self.people) >= 5000:
            self.flush()
        return pk

    def post(self, unit: UnitInfo, role: str, title: str, order: int, *, with_user: bool = False) -> int:
        rank = _rank(unit.level, unit.category, role)
        pk = self.person(rank, with_user=with_user)
        self.posts.append(
            Post(
                pk=self.ctx.pks(Post, 1),
                person_id=pk,
                unit_id=unit.pk,
                title=title,
                role=role,
                sort_order=order,
                start_date=CAMPAIGN_START,
            )
        )
        return pk

    def seat(self, org_pk: int, person: int, role: str) -> None:
        self.seats.append(
            OrgMembership(
                pk=self.ctx.pks(OrgMembership, 1),
                organization_id=org_pk,
                person_id=person,
                role=role,
                start_date=CAMPAIGN_START,
            )
        )

    def flush(self) -> None:
        self.ctx.write(self.User, self.users)
        self.ctx.write(Person, self.people)
        self.users, self.people = [], []
        self.ctx.write(Post, self.posts)
        self.posts = []


def _leadership(people: _People, unit: UnitInfo) -> None:
    """The unit's 班子: a principal, maybe a head of government, members, section heads."""
    level, category, kind = unit.level, unit.category, unit.kind
    territorial = category == UnitCategory.TERRITORIAL
    # Accounts for everyone who reviews or leads from township up, and for village principals.
    top_user = level <= 4 or kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY)
    if kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
        members, heads = 5, 0
    elif territorial and level == 4:
        members, heads = 13, 0
    elif territorial:
        members, heads = LEADERS, 0
    elif category == UnitCategory.FOUR_BODIES:
        members, heads = 5, 0
    elif category == UnitCategory.SUBORDINATE:
        members, heads = 4, 0
    elif level == 2:
        members, heads = 25, 3
    else:
        members, heads = 18, 3
    unit.principal = people.post(
        unit, PostRole.PRINCIPAL, "书记" if territorial else "主要负责人", 1, with_user=top_user
    )
    if territorial and level in (1, 2, 3, 4):
        unit.government_head = people.post(
            unit, PostRole.GOVERNMENT_HEAD, "副书记、行政主要负责人", 2, with_user=True
        )
    for i in range(members):
        unit.members.append(
            people.post(
                unit, PostRole.MEMBER, "班子成员", 10 + i, with_user=territorial and level <= 3 and i < 3
            )
        )
    for i in range(heads):
        unit.section_heads.append(people.post(unit, PostRole.SECTION_HEAD, "内设机构负责人", 50 + i))


def _organisations(ctx: Context, people: _People) -> None:
    orgs: list[Organization] = []
    assignments: list[SupervisionAssignment] = []

    def org(
        area: UnitInfo, kind: str, name: str, staff: int, rank: str, accounts: list[str] | None = None
    ) -> int:
        pk = ctx.pks(Organization, 1)
        orgs.append(Organization(pk=pk, campaign_id=ctx.campaign_id, unit_id=area.pk, kind=kind, name=name))
        seats = ctx.org_seats.setdefault((area.pk, kind), [])
        for i in range(staff):
            account = accounts[i] if accounts and i < len(accounts) else None
            person = people.person(rank, account=account, with_user=True)
            role = OrgRole.LEADER if i == 0 else OrgRole.MEMBER
            people.seat(pk, person, role)
            seats.append((person, role))
            if account:
                ctx.admin_id = ctx.person_user[person]  # who keys in what has no account of its own
        return pk

    def send(group: int, members: list[int], unit: UnitInfo, level: int) -> None:
        assignments.append(
            SupervisionAssignment(
                pk=ctx.pks(SupervisionAssignment, 1),
                group_id=group,
                unit_id=unit.pk,
                start_date=CAMPAIGN_START,
            )
        )
        ctx.supervision.setdefault((unit.pk, level), []).extend(members)

    def group(area: UnitInfo, name: str, targets: list[UnitInfo], rank: str) -> None:
        pk = org(area, OrgKind.SUPERVISION_GROUP, name, 3, rank)
        members = [p for p, _role in ctx.org_seats[(area.pk, OrgKind.SUPERVISION_GROUP)][-3:]]
        for target in targets:
            send(pk, members, target, area.level)

    p = ctx.prefix.lower()
    areas = [u for u in ctx.units if u.category == UnitCategory.TERRITORIAL and u.level <= 3]
    children: dict[int, list[UnitInfo]] = {}
    for unit in ctx.units:
        if unit.parent is not None:
            children.setdefault(unit.parent.pk, []).append(unit)
    for area in areas:
        title = area.name + ("委" if area.level in (1, 2, 3) else "")
        org(
            area,
            OrgKind.OFFICE,
            f"{title}教育实践活动领导小组办公室",
            3,
            Rank.DIVISION,
            [f"{p}_province_office"] if area.level == 1 else None,
        )
        leading = ctx.pks(Organization, 1)
        orgs.append(
            Organization(
                pk=leading,
                campaign_id=ctx.campaign_id,
                unit_id=area.pk,
                kind=OrgKind.LEADING_GROUP,
                name=f"{title}教育实践活动领导小组",
            )
        )
        leader = area.members[0] if area.members else area.principal
        if leader is not None:
            people.seat(leading, leader, OrgRole.LEADER)
            ctx.org_seats[(area.pk, OrgKind.LEADING_GROUP)] = [(leader, OrgRole.LEADER)]
        if area.level in (1, 2):
            org(area, OrgKind.LIAISON_GROUP, f"{title}活动办联络组", 2, Rank.DEPUTY_DIVISION)
        below = [u for u in children.get(area.pk, []) if u.category == UnitCategory.TERRITORIAL]
        if area.level == 0:
            group(area, "中央巡回督导组", below, Rank.BUREAU)
        elif area.level == 1:
            for i, city in enumerate(below, start=1):
                counties = [u for u in children.get(city.pk, []) if u.category == UnitCategory.TERRITORIAL]
                group(area, f"{title}第{i}督导组", [city, *counties], Rank.BUREAU)
        elif area.level == 2:
            group(area, f"{title}市直督导组", [area], Rank.DIVISION)
            for i, county in enumerate(below, start=1):
                group(area, f"{title}第{i}督导组", [county], Rank.DIVISION)
        else:
            group(area, f"{title}县直督导组", [area], Rank.SECTION)
            for i in range(0, len(below), 5):
                group(area, f"{title}第{i // 5 + 1}督导组", below[i : i + 5], Rank.SECTION)
    people.flush()
    ctx.write(Organization, orgs)
    ctx.write(OrgMembership, people.seats)
    ctx.write(SupervisionAssignment, assignments)


def generate(ctx: Context) -> None:
    ctx.step("units", _build_tree)
    assert ctx.province is not None
    campaign = Campaign.objects.create(
        name="第二批党的群众路线教育实践活动（模拟数据）",
        root_unit_id=ctx.province.pk,
        start_date=CAMPAIGN_START,
        end_date=CAMPAIGN_END,
        batch=2,
    )
    ctx.campaign_id = campaign.pk

    def people_and_posts(ctx: Context) -> None:
        people = _People(ctx)
        for unit in ctx.units:
            if unit.level >= 1:
                _leadership(people, unit)
        people.flush()
        _organisations(ctx, people)

    ctx.step("people, posts, organisations", people_and_posts)
