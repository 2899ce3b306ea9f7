import pytest

from waiban.accounts.roles import Role
from waiban.testing.factories import UserFactory


@pytest.fixture
def officer(authority):
    """A passport officer of the unit's office."""
    return UserFactory(role=Role.PASSPORT_OFFICER, authority=authority)
