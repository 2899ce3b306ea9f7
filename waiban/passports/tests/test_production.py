import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

from waiban.core.errors import PermissionDenied, ServiceError
from waiban.passports.production import (
    passport_needs,
    production_photo_upload,
    production_requests_create,
)
from waiban.passports.states import Status
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import DelegationFactory, UserFactory


def photo(size=(390, 520), mode="RGB", blur=0, fmt="JPEG", dark_edge=False):
    image = Image.new("RGB", size, (245, 248, 252))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse(
        (w * 0.3, h * 0.15, w * 0.7, h * 0.5), fill=(220, 180, 150), outline=(60, 40, 30), width=3
    )
    draw.rectangle((w * 0.15, h * 0.58, w * 0.85, h), fill=(30, 40, 90))
    if dark_edge:
        draw.rectangle((0, 0, w // 6, h // 2), fill=(90, 60, 40))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    image.convert(mode).save(buffer, fmt)
    return SimpleUploadedFile("photo.jpg", buffer.getvalue())


def test_the_officer_sees_who_needs_a_new_passport_a_renewal_or_only_to_collect(unit):
    trip = DelegationFactory(unit=unit, approved=True)
    first, second, third = [m.person for m in trip.members.order_by("position")]
    make_passport(second, number="PE1000001", expiry_date=trip.return_date + dt.timedelta(days=30))
    make_passport(third, number="PE1000002", expiry_date=trip.return_date + dt.timedelta(days=900))
    assert [n.action for n in passport_needs(trip)] == ["new", "renewal", "collect"]


def test_production_requests_are_created_in_one_step_from_the_approved_trip(unit, officer):
    trip = DelegationFactory(unit=unit, approved=True)
    old = make_passport(trip.members.order_by("position")[1].person, expiry_date=trip.return_date)
    requests = production_requests_create(delegation=trip, actor=officer)
    assert sorted(r.reason for r in requests) == ["new", "new", "renewal"]
    renewal = next(r for r in requests if r.reason == "renewal")
    assert renewal.passport.replaces == old and renewal.passport.status == Status.APPLIED
    assert [n.action for n in passport_needs(trip)].count("pending") == 3


def test_no_production_requests_before_approval(unit, officer):
    with pytest.raises(ServiceError) as error:
        production_requests_create(delegation=DelegationFactory(unit=unit), actor=officer)
    assert error.value.code == "trip_not_approved"


def test_a_clerk_cannot_create_production_requests(unit, clerk):
    with pytest.raises(PermissionDenied):
        production_requests_create(
            delegation=DelegationFactory(unit=unit, approved=True), actor=clerk
        )


@pytest.fixture
def request_row(unit, officer):
    trip = DelegationFactory(unit=unit, approved=True, members=1)
    return production_requests_create(delegation=trip, actor=officer)[0]


def test_a_good_photo_is_kept(request_row, clerk):
    saved = production_photo_upload(request=request_row, actor=clerk, uploaded=photo())
    assert saved.photo and saved.photo_uploaded_at


@pytest.mark.parametrize(
    "upload, code, words",
    [
        (
            SimpleUploadedFile("photo.jpg", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj"),
            "photo_type",
            "JPG or PNG",
        ),
        (photo(size=(300, 400)), "photo_small", "354×472"),
        (photo(size=(500, 500)), "photo_aspect", "3:4"),
        (photo(mode="L"), "photo_colour", "colour"),
        (photo(dark_edge=True), "photo_background", "background"),
        (photo(blur=3), "photo_blurred", "blurred"),
    ],
)
def test_each_photo_problem_gets_its_own_message_and_nothing_is_kept(
    request_row, clerk, upload, code, words
):
    with pytest.raises(ServiceError) as error:
        production_photo_upload(request=request_row, actor=clerk, uploaded=upload)
    assert code in error.value.params["problems"]
    assert words in error.value.message
    request_row.refresh_from_db()
    assert not request_row.photo


def test_a_clerk_of_another_unit_cannot_upload_the_photo(request_row):
    with pytest.raises(PermissionDenied):
        production_photo_upload(
            request=request_row, actor=UserFactory(role="unit_clerk"), uploaded=photo()
        )
