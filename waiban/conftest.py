import pytest
from django.utils import translation

from waiban.accounts.roles import ApproverPosition, Role
from waiban.testing.factories import AuthorityFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def english_ui(settings):
    """Tests read the English msgids. The UI itself defaults to Chinese: the translation tests
    set LANGUAGE_CODE back to zh-hans to prove it."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """A rolled-back test leaves no signal behind to clear what it cached (holiday table)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item):
    """What the fixtures wrote stands for data committed before the test acts: a test runs in
    one transaction, in which the reference entries its set-up forgot (a new office, a
    holiday) would otherwise never be cached again (waiban.core.reference)."""
    from waiban.core.reference import forget_transaction_marks

    forget_transaction_marks()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Outbox deliveries run when their message commits, in the test's process; the tests of
    the real worker set the database backend again (waiban.testing.outbox)."""
    from waiban.testing.outbox import IMMEDIATE_TASKS

    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _no_second_factor_by_default(settings):
    """Tests of other features log administrators in without an authenticator app; the
    tests of the second factor (accounts.tests.test_second_factor) require it again."""
    settings.OTP_REQUIRED_ROLES = set()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers take ~0.3 s per user by design; tests create hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Uploaded files go to a throw-away folder, never into the developer's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Signing keys made on demand by an approval stay in the test's folder too.
    settings.DOCUMENT_KEYS_DIR = tmp_path / "keys"


@pytest.fixture
def authority(db):
    return AuthorityFactory()


@pytest.fixture
def unit(authority):
    return UnitFactory(authority=authority)


@pytest.fixture
def staff(authority):
    """One office user per office role, at the same authority."""

    def make(role, **kwargs):
        return UserFactory(role=role, authority=authority, **kwargs)

    return {
        "window_clerk": make(Role.WINDOW_CLERK),
        "reviewer": make(Role.REVIEWER),
        "division_head": make(Role.APPROVER, approver_position=ApproverPosition.DIVISION_HEAD),
        "office_leader": make(Role.APPROVER, approver_position=ApproverPosition.OFFICE_LEADER),
        "supervisor": make(Role.SUPERVISOR),
    }


@pytest.fixture
def clerk(unit):
    return UserFactory(role=Role.UNIT_CLERK, unit=unit)


@pytest.fixture
def unit_head(unit):
    return UserFactory(role=Role.UNIT_HEAD, unit=unit)
