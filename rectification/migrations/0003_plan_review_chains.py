"""The review chains of 整改方案 as data (rectification/review_chains.py), installed idempotently.

Plans that were in review under the former built-in chain have no engine review to continue
in: they are returned to their unit with a note (an event), to be submitted again.
"""

import datetime

from django.db import migrations

NOTE = "审核流程已改由统一的审核流程办理，原审核进度不再保留，请重新报送审核。"


def install(apps, schema_editor):
    from rectification.review_chains import install as install_chains

    install_chains(apps)


def return_stranded(apps, schema_editor):
    Plan = apps.get_model("rectification", "RectificationPlan")
    PlanEvent = apps.get_model("rectification", "PlanEvent")
    for plan in Plan.objects.filter(status="in_review", review__isnull=True):
        plan.status = "returned"
        plan.version += 1
        plan.save(update_fields=["status", "version"])
        PlanEvent.objects.create(
            plan=plan,
            action="return",
            from_status="in_review",
            to_status="returned",
            opinion=NOTE,
            on_date=datetime.date.today(),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("materials", "0002_standard_chains"),
        ("rectification", "0002_plan_review_engine"),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
        migrations.RunPython(return_stranded, migrations.RunPython.noop),
    ]
