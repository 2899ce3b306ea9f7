"""The default approval chains of DESIGN.md §2, by the delegation leader's rank. Editable data."""

from django.db import migrations

DEFAULT_CHAIN = [
    ("division_and_below", 1, "division_head", False),
    ("bureau", 1, "division_head", False),
    ("bureau", 2, "office_leader", False),
    ("provincial", 1, "division_head", False),
    ("provincial", 2, "office_leader", False),
    ("provincial", 3, "office_leader", True),
]


def create_default_chain(apps, schema_editor):
    step = apps.get_model("visits", "ApprovalChainStep")
    for rank_group, level, position, external in DEFAULT_CHAIN:
        step.objects.get_or_create(
            authority=None, rank_group=rank_group, level=level,
            defaults={"position": position, "is_external": external},
        )


def remove_default_chain(apps, schema_editor):
    apps.get_model("visits", "ApprovalChainStep").objects.filter(authority=None).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(create_default_chain, remove_default_chain)]
