from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """Administrative level a unit sits at (a 市直单位 is at level 市)."""

    CENTRAL = 0, _("中央")
    PROVINCE = 1, _("省")
    CITY = 2, _("市")
    COUNTY = 3, _("县(市、区)")
    TOWNSHIP = 4, _("乡镇/街道")
    VILLAGE = 5, _("村/社区")


class UnitKind(models.TextChoices):
    # The territorial line: each is led by its 党委 and holds that 党委's 班子.
    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县(市、区)")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    # The other three of the 四大班子 beside the 党委 of a 市 or 县.
    PEOPLES_CONGRESS = "congress", _("人大常委会")
    GOVERNMENT = "government", _("人民政府")
    CPPCC = "cppcc", _("政协")
    # Units managed by a level, hanging under its territorial unit.
    DEPARTMENT = "department", _("党政机关部门")
    SUBORDINATE = "subordinate", _("直属机构")
    ENTERPRISE = "enterprise", _("企事业单位")
    ENFORCEMENT = "enforcement", _("执法监管部门和窗口单位、服务行业")
    NON_PUBLIC = "non_public", _("非公有制经济组织")
    SOCIAL_ORG = "social_org", _("社会组织")
    SCHOOL = "school", _("学校")


TERRITORIAL_KINDS = frozenset(
    {
        UnitKind.CENTRAL,
        UnitKind.PROVINCE,
        UnitKind.CITY,
        UnitKind.COUNTY,
        UnitKind.TOWNSHIP,
        UnitKind.VILLAGE,
        UnitKind.COMMUNITY,
    }
)
# The 人大/政府/政协 党组 whose members are signed off by the 党组 principal
# before the 党委 secretary reviews them [002].
PARTY_GROUP_ORGAN_KINDS = frozenset({UnitKind.PEOPLES_CONGRESS, UnitKind.GOVERNMENT, UnitKind.CPPCC})
# Other grassroots organisations hold 组织生活会 and 民主评议党员 instead of a
# 专题民主生活会 [000].
GRASSROOTS_KINDS = frozenset({UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.NON_PUBLIC, UnitKind.SOCIAL_ORG})

TERRITORIAL_LEVEL = {
    UnitKind.CENTRAL: Level.CENTRAL,
    UnitKind.PROVINCE: Level.PROVINCE,
    UnitKind.CITY: Level.CITY,
    UnitKind.COUNTY: Level.COUNTY,
    UnitKind.TOWNSHIP: Level.TOWNSHIP,
    UnitKind.VILLAGE: Level.VILLAGE,
    UnitKind.COMMUNITY: Level.VILLAGE,
}
# Which territorial kinds may stand directly under which.
TERRITORIAL_PARENT = {
    UnitKind.CENTRAL: None,
    UnitKind.PROVINCE: UnitKind.CENTRAL,
    UnitKind.CITY: UnitKind.PROVINCE,
    UnitKind.COUNTY: UnitKind.CITY,
    UnitKind.TOWNSHIP: UnitKind.COUNTY,
    UnitKind.VILLAGE: UnitKind.TOWNSHIP,
    UnitKind.COMMUNITY: UnitKind.TOWNSHIP,
}


class UnitCategory(models.TextChoices):
    """Where a unit stands relative to its level's 党委; review chains key on it."""

    TERRITORIAL = "territorial", _("地方党委")
    FOUR_BODIES = "four_bodies", _("人大、政府、政协")
    DIRECT = "direct", _("直属单位")
    SUBORDINATE = "subordinate", _("直属单位的下属机构")


class PostRole(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责同志")
    GOVERNMENT_HEAD = "government_head", _("政府主要负责同志")
    MEMBER = "member", _("班子成员")
    SECTION_HEAD = "section_head", _("内设机构负责人")


# Roles that sit in the unit's 领导班子 (a section head does not).
LEADERSHIP_ROLES = frozenset({PostRole.PRINCIPAL, PostRole.GOVERNMENT_HEAD, PostRole.MEMBER})


class Rank(models.TextChoices):
    """职级; rectification plans of 副处级 and above go to the 督导组 [003]."""

    MINISTER = "minister", _("省部级")
    BUREAU = "bureau", _("正厅级")
    DEPUTY_BUREAU = "deputy_bureau", _("副厅级")
    DIVISION = "division", _("正处级")
    DEPUTY_DIVISION = "deputy_division", _("副处级")
    SECTION = "section", _("正科级")
    DEPUTY_SECTION = "deputy_section", _("副科级")
    OTHER = "other", _("其他")


class OrgKind(models.TextChoices):
    LEADING_GROUP = "leading_group", _("领导小组")
    OFFICE = "office", _("活动办")
    SUPERVISION_GROUP = "supervision_group", _("督导组")
    LIAISON_GROUP = "liaison_group", _("联络组")


class OrgRole(models.TextChoices):
    LEADER = "leader", _("组长/主任")
    DEPUTY = "deputy", _("副组长/副主任")
    MEMBER = "member", _("成员")


class Role(models.TextChoices):
    """What a user may do in part of the tree; derived from posts and organisations."""

    OFFICE = "office", _("活动办")
    OVERSIGHT = "oversight", _("领导小组、联络组")
    SUPERVISOR = "supervisor", _("督导组")
    PRINCIPAL = "principal", _("主要负责同志")
    MEMBER = "member", _("班子成员")
