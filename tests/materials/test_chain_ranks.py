"""The ``author_ranks`` condition: the author's 职级; a 班子 is led at its principal's or its
government head's rank (rectification plans of 副处级 and above take [003]'s chain)."""

import pytest
from django.core.exceptions import ValidationError

from materials.chains import build_subject, matches, validate_condition
from units.choices import PostRole, Rank
from units.models import Person, Post, Unit

pytestmark = pytest.mark.django_db

SENIOR = [
    {"author_ranks": [Rank.MINISTER, Rank.BUREAU, Rank.DEPUTY_BUREAU, Rank.DIVISION, Rank.DEPUTY_DIVISION]}
]


def subject(campaign, unit_code, person_code=None):
    """A 班子 subject of the unit (authored by its principal), or one person's."""
    unit = Unit.objects.get(code=unit_code)
    if person_code is None:
        author = Post.objects.get(unit=unit, role=PostRole.PRINCIPAL).person
    else:
        author = Person.objects.get(code=person_code)
    return build_subject(
        campaign_id=campaign.pk, unit=unit, author=author, is_body=person_code is None, material_kind="team"
    )


def test_a_person_is_judged_by_his_own_rank(province):
    assert matches(SENIOR, subject(province.campaign, "410922", "P410922-ZZB"))  # 副处级 常委
    assert matches(SENIOR, subject(province.campaign, "410922", "P410922-SJ"))  # 正处级 书记
    assert not matches(SENIOR, subject(province.campaign, "410922001", "P410922001-SJ"))  # 正科级
    assert not matches(SENIOR, subject(province.campaign, "410922001001", "P410922001001-SJ"))
    assert matches([{"negate": SENIOR[0]}], subject(province.campaign, "410922001", "P410922001-SJ"))


def test_a_team_is_led_by_its_principal_or_its_government_head(province, django_assert_num_queries):
    county = subject(province.campaign, "410922")
    with django_assert_num_queries(1):  # the leaders' ranks, read only when a condition asks
        assert matches(SENIOR, county)
    with django_assert_num_queries(0):
        assert matches([{"levels": [3]}], county)
    township = subject(province.campaign, "410922001")
    assert not matches(SENIOR, township)  # 党委书记 and 镇长 are 正科级
    head = Person.objects.get(code="P410922001-ZZ")  # 党委副书记、镇长: the government head
    assert head.posts.get(unit__code="410922001").role == PostRole.GOVERNMENT_HEAD
    head.rank = Rank.DEPUTY_DIVISION
    head.save()
    assert matches(SENIOR, subject(province.campaign, "410922001"))
    # A member's rank does not make the 班子 senior.
    Person.objects.filter(pk=head.pk).update(rank=Rank.SECTION)
    Person.objects.filter(code="P410922001-FSJ").update(rank=Rank.DIVISION)
    assert not matches(SENIOR, subject(province.campaign, "410922001"))


def test_author_ranks_is_validated_in_chinese():
    validate_condition(SENIOR)
    for bad in ([{"author_ranks": ["colonel"]}], [{"author_ranks": "division"}]):
        with pytest.raises(ValidationError, match="职级代码"):
            validate_condition(bad)
