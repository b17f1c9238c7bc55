"""Briefing.survey_id (a plain integer seam) becomes a real foreign key to stages.Survey.

The integer is kept where it names an existing survey; one that names none is dropped (the
seam was never filled by any code, so there should be none)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_ids(apps, schema_editor):
    Survey = apps.get_model("stages", "Survey")
    existing = set(Survey.objects.values_list("pk", flat=True))
    for name in ("Briefing", "HistoricalBriefing"):
        model = apps.get_model("materials", name)
        for row_pk, old in model.objects.exclude(survey_id_old=None).values_list("pk", "survey_id_old"):
            if old in existing:
                model.objects.filter(pk=row_pk).update(survey_link_id=old)


def copy_back(apps, schema_editor):
    for name in ("Briefing", "HistoricalBriefing"):
        model = apps.get_model("materials", name)
        for row_pk, link in model.objects.exclude(survey_link=None).values_list("pk", "survey_link_id"):
            model.objects.filter(pk=row_pk).update(survey_id_old=link)


class Migration(migrations.Migration):
    dependencies = [
        ("materials", "0005_copy_detection"),
        ("stages", "0002_survey_purpose_item"),
    ]

    operations = [
        migrations.RenameField("briefing", "survey_id", "survey_id_old"),
        migrations.RenameField("historicalbriefing", "survey_id", "survey_id_old"),
        migrations.AddField(
            model_name="briefing",
            name="survey_link",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="briefings",
                to="stages.survey",
                verbose_name="群众评议测评",
            ),
        ),
        migrations.AddField(
            model_name="historicalbriefing",
            name="survey_link",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="stages.survey",
                verbose_name="群众评议测评",
            ),
        ),
        migrations.RunPython(copy_ids, copy_back),
        migrations.RemoveField("briefing", "survey_id_old"),
        migrations.RemoveField("historicalbriefing", "survey_id_old"),
        migrations.RenameField("briefing", "survey_link", "survey"),
        migrations.RenameField("historicalbriefing", "survey_link", "survey"),
    ]
