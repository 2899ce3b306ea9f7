"""Reference data is cached and forgotten on every write to the tables it is built from, with a
cache per process and with a Redis that all processes share (the real one at 127.0.0.1:6379,
database 14; skipped only where none listens, unless CI demands it)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction

from waiban.accounts.scoping import authority_tree, unit_names
from waiban.core.calendar import office_overrides
from waiban.core.models import HolidayDay
from waiban.rules.engine import all_rule_versions
from waiban.testing.factories import AuthorityFactory, UnitFactory
from waiban.testing.redis import REDIS, redis_wanted
from waiban.visits.deadlines import stage_limit_overrides
from waiban.visits.models import StageLimit

pytestmark = pytest.mark.django_db(transaction=True)


def _holiday():
    return HolidayDay.objects.create(date=dt.date(2031, 1, 1), is_workday=False)


def _authority():
    return AuthorityFactory()


def _unit():
    return UnitFactory()


def _stage_limit():
    return StageLimit.objects.create(
        authority=AuthorityFactory(), state="pre_review", working_days=4
    )


def _rule_version():
    from waiban.rules.models import RuleVersion
    from waiban.testing.factories import UserFactory

    return RuleVersion.objects.create(
        rule="group-size",
        severity="block",
        params={"max_people": 8},
        source="test",
        effective_from=dt.date(2020, 1, 1),
        created_by=UserFactory(role="sys_admin"),
    )


# Each reference entry with a write to each table it is built from.
DEPENDENCIES = [
    (office_overrides, _holiday),
    (authority_tree, _authority),
    (unit_names, _unit),
    (stage_limit_overrides, _stage_limit),
    (all_rule_versions, _rule_version),
]


@pytest.fixture(params=["per-process", "redis"])
def any_cache(request, settings):
    if request.param == "redis":
        if not redis_wanted():
            pytest.skip("no Redis on 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"{REDIS}/14",
                "KEY_PREFIX": "waiban-test",
            }
        }
    cache.clear()
    yield request.param
    cache.clear()


@pytest.mark.parametrize("entry, write", DEPENDENCIES, ids=lambda v: getattr(v, "key", ""))
def test_an_entry_is_forgotten_when_a_row_it_is_built_from_is_written(any_cache, entry, write):
    before = entry.get()
    assert cache.get(entry.key) == before  # kept
    write()
    assert entry.get() != before  # read again from the database


def test_an_entry_is_forgotten_when_a_row_it_is_built_from_is_deleted(any_cache):
    holiday = _holiday()
    assert dt.date(2031, 1, 1) in office_overrides.get()
    holiday.delete()
    assert dt.date(2031, 1, 1) not in office_overrides.get()


def test_an_entry_read_inside_the_changing_transaction_is_not_kept_when_it_rolls_back(any_cache):
    before = office_overrides.get()
    with pytest.raises(RuntimeError), transaction.atomic():
        _holiday()
        assert dt.date(2031, 1, 1) in office_overrides.get()  # this transaction sees its row
        raise RuntimeError("rolled back")
    assert office_overrides.get() == before
    assert dt.date(2031, 1, 1) not in cache.get(office_overrides.key)
