"""The leadership team becomes a tick per person: "member of the unit's leadership team".

The free-text team name nobody could enter is gone; a unit has one leadership team (领导班子), so
whoever had any team name is marked as a member of their unit's team.
"""

from django.db import migrations, models


def mark_members(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    names = Person.objects.exclude(leadership_team="").values_list("leadership_team", flat=True)
    # The rule ignored a name of blanks only, so that marks nobody either.
    filled = {name for name in names.distinct() if name.strip()}
    if filled:
        Person.objects.filter(leadership_team__in=filled).update(in_leadership_team=True)


def name_teams(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Person.objects.filter(in_leadership_team=True).update(leadership_team="领导班子")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="in_leadership_team",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text=(
                    "Tick for the unit's leaders (领导班子成员): two of them on one trip need a "
                    "justification."
                ),
                verbose_name="member of the unit's leadership team",
            ),
        ),
        migrations.RunPython(mark_members, name_teams),
        migrations.RemoveField(
            model_name="person",
            name="leadership_team",
        ),
    ]
