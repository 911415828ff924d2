from django.db import migrations


def load(apps, schema_editor):
    from surveys.shipped import load_shipped_templates

    load_shipped_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_survey_templates_deployments_responses")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
