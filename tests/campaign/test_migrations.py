"""The migrations against the models, now that the test database is built from the models
(--no-migrations in pyproject.toml). CI applies the migrations themselves to an empty
PostgreSQL before the suite."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"campaign", "units", "stages", "materials", "rectification", "supervision"}

# Data migrations whose rows tests/conftest.py::django_db_setup installs, and the ones that only
# fix rows already present (nothing to do on an empty database).
INSTALLED_BY_THE_TEST_SETUP = {
    "materials.0002_standard_chains.install",
    "materials.0004_meeting_chains.install",
    "rectification.0003_plan_review_chains.install",
}
FIXES_OF_EXISTING_ROWS = {
    "materials.0006_briefing_survey.copy_ids",
    "rectification.0003_plan_review_chains.return_stranded",
    "rectification.0005_unit_item_tally.count_existing_items",
}


def test_the_models_need_no_new_migration(settings: Any) -> None:
    settings.MIGRATION_MODULES = {}
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) on changes


def test_every_data_migration_is_known_to_the_test_setup(settings: Any) -> None:
    settings.MIGRATION_MODULES = {}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = {
        f"{app}.{name}.{operation.code.__name__}"
        for (app, name), migration in loader.disk_migrations.items()
        for operation in migration.operations
        if app in PROJECT_APPS and isinstance(operation, RunPython)
    }
    assert found == INSTALLED_BY_THE_TEST_SETUP | FIXES_OF_EXISTING_ROWS, (
        "a new data migration: install its rows in tests/conftest.py::django_db_setup, "
        "or list it here as a fix of existing rows"
    )


def test_the_test_database_holds_the_migrations_rows() -> None:
    from materials.meeting_chains import specs as meeting_specs
    from materials.models import ChainTemplate
    from materials.standard_chains import TEMPLATES as MATERIAL_TEMPLATES
    from rectification.review_chains import TEMPLATES as PLAN_TEMPLATES

    expected = {t["code"] for t in [*MATERIAL_TEMPLATES, *meeting_specs(), *PLAN_TEMPLATES]}
    assert expected <= set(ChainTemplate.objects.values_list("code", flat=True))
