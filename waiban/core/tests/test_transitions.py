"""The shared refusals keep their codes and speak in the words the caller gives them."""

from types import SimpleNamespace

import pytest

from waiban.core.errors import PermissionDenied, StateConflict
from waiban.core.transitions import check_role, check_source_state, check_version
from waiban.passports.models import Passport
from waiban.passports.states import TRANSITIONS as PASSPORT_TRANSITIONS
from waiban.visits.models import Delegation
from waiban.visits.states import TRANSITIONS, State


def test_a_version_the_row_still_has_passes():
    check_version(Delegation(version=3), "3", message="stale")


def test_no_expected_version_compares_nothing():
    check_version(Delegation(version=3), None, message="stale")


def test_an_older_version_is_refused_naming_the_state_the_row_is_in_now():
    with pytest.raises(StateConflict) as caught:
        check_version(
            Delegation(version=3, state=State.APPROVED), 2, message="now %(state)s, try again"
        )
    assert caught.value.code == "stale_version"
    assert caught.value.message == "now Approved, try again"


def test_a_role_the_table_does_not_name_is_refused():
    submit = TRANSITIONS["submit"]
    with pytest.raises(PermissionDenied) as caught:
        check_role(SimpleNamespace(role="reviewer"), submit.roles, submit)
    assert caught.value.code == "wrong_role"
    assert caught.value.message == "Your role cannot do this: Submit."


def test_a_move_from_a_state_the_table_does_not_list_is_refused():
    with pytest.raises(StateConflict) as caught:
        check_source_state(
            Delegation(state=State.APPROVED),
            TRANSITIONS["submit"],
            message="%(state)s: no %(action)s",
        )
    assert caught.value.code == "invalid_transition"
    assert caught.value.message == "Approved: no Submit"


def test_a_row_with_a_status_field_is_named_by_its_status():
    with pytest.raises(StateConflict) as caught:
        check_source_state(
            Passport(status="lost"),
            PASSPORT_TRANSITIONS["lend"],
            message="%(status)s: no %(action)s",
            field="status",
        )
    assert caught.value.message == "Reported lost: no Lend out"


def test_the_system_moves_only_where_the_table_names_it():
    check_role(None, TRANSITIONS["depart"].roles, TRANSITIONS["depart"])
    with pytest.raises(PermissionDenied) as caught:
        check_role(None, TRANSITIONS["accept"].roles, TRANSITIONS["accept"])
    assert caught.value.code == "wrong_role"


def test_a_version_that_is_not_a_number_is_stale():
    with pytest.raises(StateConflict) as caught:
        check_version(Delegation(version=3), "3'; drop table", message="stale %(state)s")
    assert caught.value.code == "stale_version"
