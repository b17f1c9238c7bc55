from django.db import migrations


def install(apps, schema_editor):
    from materials.meeting_chains import install as install_chains

    install_chains(apps)


class Migration(migrations.Migration):
    dependencies = [("materials", "0003_talks_meetings")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
