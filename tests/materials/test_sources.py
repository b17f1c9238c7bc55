"""Problems listed in materials are "四个回应" sources for rectification."""

import pytest

from rectification import source_registry
from tests.materials.conftest import account
from tests.materials.helpers import write_and_submit
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_material_problems_are_unanswered_sources_until_an_item_answers(province):
    account("P410922-SJ")
    material = write_and_submit(province.campaign, "P410922-ZZB", "410922")
    county = Unit.objects.get(code="410922")
    counts = source_registry.unanswered_counts([county])
    assert counts[county.pk]["material_problem"] == material.problems.filter(is_active=True).count() == 6
    provider = source_registry.provider_for("material_problem")
    problem = material.problems.first()
    info = provider.describe([problem.pk])[problem.pk]
    assert material.title in info.label and info.url == f"/materials/{material.pk}/"
