from waiban.accounts.scoping import unit_filter
from waiban.core.crypto import blind_index
from waiban.people.idnumber import IdNumberError, parse_id_number
from waiban.people.models import Person


def person_list(*, user, query: str = ""):
    scope = unit_filter(user)
    if scope is None:
        return Person.objects.none()
    people = Person.objects.filter(**scope).select_related("unit")
    query = (query or "").strip()
    if query:
        if query[:17].isdigit() and len(query) in (15, 18):
            try:  # stored numbers are 18 characters with a capital X
                query = parse_id_number(query).number
            except IdNumberError:
                pass
            people = people.filter(id_number_hash=blind_index(query))
        else:
            people = people.filter(name_zh__contains=query) | people.filter(
                surname_pinyin__icontains=query
            )
    return people


def person_get(*, user, pk: int) -> Person | None:
    return person_list(user=user).filter(pk=pk).first()
