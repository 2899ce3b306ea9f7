from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="leadership_team",
            field=models.CharField(
                blank=True,
                db_default="",
                help_text="Fill in for members of the unit's leadership team, e.g. 厅领导班子.",
                max_length=100,
                verbose_name="leadership team",
            ),
        ),
    ]
