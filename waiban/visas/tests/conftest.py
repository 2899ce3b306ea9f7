import datetime as dt
import itertools
from pathlib import Path

import pytest
from django.utils import timezone

from waiban.accounts.roles import Role
from waiban.passports.states import Kind
from waiban.passports.tests.helpers import make_passport
from waiban.testing.factories import AuthorityFactory, DelegationFactory, UnitFactory, UserFactory
from waiban.visas.regimes import embassies_load, regime_edition_load
from waiban.visits.models import ItineraryStop

DATA = Path(__file__).resolve().parents[1] / "data"
REGIMES_FILE = DATA / "mfa-visa-exemptions-2025-03-11.csv"
_NUMBERS = itertools.count(1000000)


@pytest.fixture
def authority(db):
    # The consulates in Guangzhou serve Guangxi: the office's name says where it is.
    return AuthorityFactory(name="广西壮族自治区外事办公室")


@pytest.fixture
def unit(authority):
    return UnitFactory(authority=authority)


@pytest.fixture
def regimes(db):
    regime_edition_load(data=REGIMES_FILE.read_bytes())
    embassies_load(data=(DATA / "embassies.csv").read_bytes())


@pytest.fixture
def visa_officer(authority):
    return UserFactory(role=Role.VISA_OFFICER, authority=authority)


def three_country_trip(unit, *, state="approved", kind=Kind.SERVICE, members=3, days_ahead=60):
    """Germany (visa), Thailand (exempt), Ireland (service: exempt for ministerial delegations
    only) with service passports in custody."""
    departure = timezone.localdate() + dt.timedelta(days=days_ahead)
    traits = {"approved": True} if state == "approved" else {}
    delegation = DelegationFactory(unit=unit, members=members, departure_date=departure, **traits)
    delegation.stops.all().delete()
    for position, (country, city, start, end) in enumerate(
        [("DE", "柏林", 0, 2), ("TH", "曼谷", 3, 5), ("IE", "都柏林", 6, 8)]
    ):
        ItineraryStop.objects.create(
            delegation=delegation,
            position=position,
            country=country,
            city=city,
            arrival_date=departure + dt.timedelta(days=start),
            departure_date=departure + dt.timedelta(days=end),
        )
    delegation.return_date = departure + dt.timedelta(days=8)
    delegation.save()
    for member in delegation.members.select_related("person__unit"):
        make_passport(member.person, kind=kind, number=f"SE{next(_NUMBERS):07d}")
    return delegation


@pytest.fixture
def signing_keys(db, settings, tmp_path):
    from waiban.documents import keys

    settings.DOCUMENT_KEYS_DIR = tmp_path / "keys"
    keys.root_create()
    keys.signer_rotate()


@pytest.fixture
def batch_of(visa_officer, django_capture_on_commit_callbacks):
    """A prepared batch for the trip's German consulate, its note issued (the worker runs the
    outbox message when the batch commits)."""
    from waiban.visas.models import Embassy
    from waiban.visas.services import visa_batch_create

    def make(delegation, country="DE"):
        with django_capture_on_commit_callbacks(execute=True):
            return visa_batch_create(
                delegation=delegation,
                embassy=Embassy.objects.get(country=country),
                actor=visa_officer,
            )

    return make
