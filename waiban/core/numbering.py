from django.db import transaction

from waiban.core.models import NumberSequence


def next_number(*, name: str, year: int) -> int:
    """Next value of a per-year counter; safe under concurrency (row lock on PostgreSQL)."""
    with transaction.atomic():
        NumberSequence.objects.get_or_create(name=name, year=year)
        seq = NumberSequence.objects.select_for_update().get(name=name, year=year)
        seq.last_value += 1
        seq.save(update_fields=["last_value"])
        return seq.last_value


def case_number(*, year: int) -> str:
    """Case numbers people can read out on the phone: ``2026-0001234``."""
    return f"{year}-{next_number(name='case', year=year):07d}"
