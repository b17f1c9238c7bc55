"""The materials gate: every 对照检查材料 a unit owes approved, for any number of units in 2 queries."""

import pytest

from materials.choices import ActionKind
from materials.gates import materials_approved
from tests.materials.conftest import account
from tests.materials.helpers import act, write_and_submit
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_gate_names_what_is_missing_and_passes_when_all_are_approved(province, django_assert_num_queries):
    village = Unit.objects.get(code="410922001001")
    account("P410922001-SJ")
    result = materials_approved(province.campaign, [village], {})[village.pk]
    assert not result.met and "2份材料尚未审核通过" in result.detail
    for kind_body in (True, False):
        material = write_and_submit(
            province.campaign, "P410922001001-SJ", village.code, kind="brief", body=kind_body
        )
        act(material, ActionKind.PASS)
    assert materials_approved(province.campaign, [village], {})[village.pk].met


def test_gate_costs_two_queries_whatever_the_number_of_units(province, django_assert_num_queries):
    few = list(Unit.objects.filter(code__startswith="410922001"))
    many = list(Unit.objects.filter(level__gte=2))
    # the posts of everyone seated in those units, their materials
    with django_assert_num_queries(2):
        materials_approved(province.campaign, few, {})
    with django_assert_num_queries(2):
        results = materials_approved(province.campaign, many, {})
    assert len(results) == len(many)
    grassroots = next(u for u in many if u.kind == "social_org")
    assert results[grassroots.pk].met  # 社会组织 write no 对照检查材料
