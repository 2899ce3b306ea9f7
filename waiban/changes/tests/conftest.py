import copy
import datetime as dt

import pytest

from waiban.changes.content import content_of
from waiban.documents.tests.conftest import signing_keys  # noqa: F401
from waiban.testing.factories import DelegationFactory


def shifted(content, days):
    """The content with every stop moved by ``days``."""
    new = copy.deepcopy(content)
    for stop in new["stops"]:
        for key in ("arrival_date", "departure_date"):
            day = dt.date.fromisoformat(stop[key]) + dt.timedelta(days=days)
            stop[key] = day.isoformat()
    return new


def with_country(content, country, city, days=2):
    """The content with one more stop at the end (the return ``days`` later)."""
    new = copy.deepcopy(content)
    last = dt.date.fromisoformat(new["stops"][-1]["departure_date"])
    new["stops"].append(
        {
            "country": country,
            "city": city,
            "arrival_date": last.isoformat(),
            "departure_date": (last + dt.timedelta(days=days)).isoformat(),
            "is_transit": False,
            "is_airside": False,
            "business_days": None,
        }
    )
    return new


@pytest.fixture
def approved_case(unit, clerk):
    return DelegationFactory(unit=unit, created_by=clerk, approved=True)


@pytest.fixture
def current(approved_case):
    return content_of(approved_case)
