from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.core.audit import audit_record
from waiban.core.crypto import blind_index
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.people.models import Person

PERSON_FIELDS = [
    "name_zh",
    "surname_pinyin",
    "given_name_pinyin",
    "sex",
    "birth_date",
    "id_number",
    "post",
    "rank",
    "secret_level",
    "phone",
    "is_teaching_research",
    "in_leadership_team",
]


def _check_clerk_of(actor, unit):
    if actor.role != "unit_clerk" or actor.unit_id != unit.pk:
        raise PermissionDenied("not_unit_clerk", _("Only the unit's clerk can edit its people."))


def _duplicate_error():
    return ServiceError(
        "person_duplicate",
        _(
            "This ID number is already registered. Search the list, or ask the office to move the "
            "person to your unit."
        ),
        field="id_number",
    )


def person_create(*, actor, unit, data: dict) -> Person:
    _check_clerk_of(actor, unit)
    person = Person(unit=unit, **{k: data.get(k) for k in PERSON_FIELDS if k in data})
    person.id_number_hash = blind_index(person.id_number)
    person.phone_hash = blind_index(person.phone)
    if Person.objects.filter(id_number_hash=person.id_number_hash).exists():
        raise _duplicate_error()
    try:
        with transaction.atomic():
            person.save()
            audit_record(
                actor=actor,
                action="person.create",
                obj=person,
                new={k: getattr(person, k) for k in PERSON_FIELDS},
            )
    except IntegrityError as exc:  # a concurrent insert of the same number
        raise _duplicate_error() from exc
    return person


STALE_PERSON = gettext_lazy(
    "Someone else changed this person while you were editing; your input is kept below. "
    "Check it against the saved record and save again."
)


def person_update(*, actor, person: Person, data: dict, expected_version=None) -> Person:
    _check_clerk_of(actor, person.unit)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if expected_version is not None and str(expected_version) != str(locked.version):
            raise StateConflict("stale_version", str(STALE_PERSON))
        locked.version += 1
        old = {k: getattr(locked, k) for k in PERSON_FIELDS}
        for key in PERSON_FIELDS:
            if key in data:
                setattr(locked, key, data[key])
        locked.id_number_hash = blind_index(locked.id_number)
        locked.phone_hash = blind_index(locked.phone)
        if (
            Person.objects.filter(id_number_hash=locked.id_number_hash)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise _duplicate_error()
        locked.save()
        new = {k: getattr(locked, k) for k in PERSON_FIELDS}
        changed = [k for k in PERSON_FIELDS if old[k] != new[k]]
        audit_record(
            actor=actor,
            action="person.update",
            obj=locked,
            old={k: old[k] for k in changed},
            new={k: new[k] for k in changed},
        )
        return locked
