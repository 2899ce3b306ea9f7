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


def mrz_of(passport, **over):
    """The MRZ printed in ``passport`` (its record's number, holder and expiry), or with some of
    those details replaced (``surname=``, ``birth=``, ``number=``, ``expiry=`` ...)."""
    person = passport.person
    values = dict(
        number=passport.number,
        surname=person.surname_pinyin,
        given=person.given_name_pinyin,
        birth=person.birth_date,
        sex=person.sex,
        expiry=passport.expiry_date,
    )
    values.update(over)
    return make_mrz(**values)


def clock_on(day: dt.date):
    """Every page and service (the live server's thread too) sees 10:00 on ``day`` as now."""
    from django.utils import timezone

    from waiban.demo.clock import clock_at

    return clock_at(timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))))


def good_photo_bytes(size=(390, 520)) -> bytes:
    """A JPEG that passes every photo check: colour, 3:4, light plain edges, crisp outlines."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (245, 248, 252))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse(
        (w * 0.3, h * 0.15, w * 0.7, h * 0.5), fill=(220, 180, 150), outline=(60, 40, 30), width=3
    )
    draw.rectangle((w * 0.15, h * 0.58, w * 0.85, h), fill=(30, 40, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()
