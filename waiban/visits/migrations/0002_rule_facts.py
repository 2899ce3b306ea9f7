from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="delegation",
            name="inviting_organisation_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("counterpart", "Counterpart body (government, university, company, association)"),
                    ("agent", "Agent or intermediary"),
                    ("foreign_mission", "Foreign mission in China"),
                    ("individual", "Individual"),
                ],
                db_default="",
                max_length=20,
                verbose_name="kind of inviting organisation",
            ),
        ),
        migrations.AddField(
            model_name="itinerarystop",
            name="business_days",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="official business days"
            ),
        ),
    ]
