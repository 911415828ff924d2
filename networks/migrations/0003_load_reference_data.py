from django.db import migrations


def load(apps, schema_editor):
    from networks.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("networks", "0002_network_relations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
