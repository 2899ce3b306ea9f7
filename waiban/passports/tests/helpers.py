import datetime as dt

from waiban.core.crypto import blind_index
from waiban.passports.models import Passport
from waiban.passports.mrz import check_digit
from waiban.passports.states import Kind, Status


def make_passport(person, *, status=Status.IN_CUSTODY, number="PE1234567", kind=None, **kw):
    kw.setdefault("expiry_date", dt.date(2033, 5, 1))
    return Passport.objects.create(
        person=person,
        authority_id=person.unit.authority_id,
        kind=kind or Kind.OFFICIAL_ORDINARY,
        number=number,
        number_hash=blind_index(number) if number else "",
        status=status,
        **kw,
    )


def make_mrz(*, number, surname, given, birth: dt.date, sex, expiry: dt.date, personal=""):
    """A valid TD3 MRZ for these details (CHN), with every check digit right."""
    name = f"{surname}<<{given.replace(' ', '<')}"
    first = f"P<CHN{name}".ljust(44, "<")[:44]
    num = number.ljust(9, "<")
    birth_s, exp_s = birth.strftime("%y%m%d"), expiry.strftime("%y%m%d")
    pers = personal.ljust(14, "<")
    second = (
        f"{num}{check_digit(num)}CHN{birth_s}{check_digit(birth_s)}{sex}"
        f"{exp_s}{check_digit(exp_s)}{pers}{check_digit(pers)}"
    )
    composite = second[0:10] + second[13:20] + second[21:43]
    return f"{first}\n{second}{check_digit(composite)}"
