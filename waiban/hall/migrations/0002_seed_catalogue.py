from django.db import migrations


def seed(apps, schema_editor):
    from waiban.hall.seed_catalogue import seed_catalogue

    seed_catalogue(apps.get_model("hall", "ServiceItem"), apps.get_model("hall", "ServiceGuideVersion"))


class Migration(migrations.Migration):
    dependencies = [("hall", "0001_initial_catalogue_and_queue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
