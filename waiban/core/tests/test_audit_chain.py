"""The audit trail is a hash chain: an edit, a deletion or an insertion in the database is
detected and the first broken row named, by the command and on the audit administrator's page."""

import importlib
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.urls import reverse

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.audit_chain import audit_chain_verify
from waiban.core.models import AuditEvent
from waiban.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _write(n, actor=None):
    target = actor or UserFactory(role=Role.UNIT_CLERK, unit=None, authority=None)
    return [
        audit_record(actor=actor, action="test.write", obj=target, new={"n": i, "名": "张三"})
        for i in range(n)
    ]


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _tamper(statement, params):
    """What a database superuser can do: on PostgreSQL, switch triggers off around the edit."""
    if connection.vendor != "postgresql":
        return _sql(statement, params)
    _sql("SET LOCAL session_replication_role = replica", [])
    _sql(statement, params)
    _sql("SET LOCAL session_replication_role = origin", [])


def test_rows_are_numbered_and_chained_in_order():
    events = _write(5)
    assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 5))
    assert len({e.chain for e in events}) == 5
    report = audit_chain_verify()
    assert report.intact and report.checked == AuditEvent.objects.count()


def test_a_value_edited_in_the_database_is_found_and_named():
    events = _write(6)
    _tamper("UPDATE core_auditevent SET action = %s WHERE id = %s", ["test.innocent", events[3].pk])
    report = audit_chain_verify()
    assert not report.intact
    assert (report.problem, report.broken_id) == ("changed", events[3].pk)


def test_an_edited_json_value_is_found():
    events = _write(3)
    _tamper("UPDATE core_auditevent SET new_values = %s WHERE id = %s", ['{"n": 99}', events[1].pk])
    assert audit_chain_verify().broken_id == events[1].pk


def test_a_deleted_row_is_found_at_the_gap():
    events = _write(5)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
    report = audit_chain_verify()
    assert (report.problem, report.broken_id, report.broken_seq) == (
        "missing",
        events[3].pk,
        events[2].seq,
    )


def test_a_row_inserted_behind_the_applications_back_is_found():
    _write(2)
    _tamper(
        "INSERT INTO core_auditevent (at, action, object_type, object_id, object_repr, "
        "old_values, new_values, user_agent, chain) VALUES "
        "(CURRENT_TIMESTAMP, 'forged', 'x', '1', '', '{}', '{}', '', '')",
        [],
    )
    report = audit_chain_verify()
    assert report.problem == "unsealed"


def test_a_resealed_row_without_the_key_still_breaks_the_chain(settings):
    events = _write(3)
    from waiban.core.audit_chain import chain_of

    settings.AUDIT_CHAIN_KEY = "a-key-guessed-by-the-attacker"
    row = AuditEvent.objects.filter(pk=events[1].pk).values().first()
    row["action"] = "test.innocent"
    forged = chain_of(events[0].chain, row)
    settings.AUDIT_CHAIN_KEY = ""
    _tamper(
        "UPDATE core_auditevent SET action = %s, chain = %s WHERE id = %s",
        ["test.innocent", forged, events[1].pk],
    )
    assert audit_chain_verify().broken_id == events[1].pk


def test_the_command_names_the_first_broken_row(capsys):
    events = _write(4)
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out
    _tamper("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["x", events[1].pk])
    with pytest.raises(CommandError, match=f"row id {events[1].pk} "):
        call_command("audit_verify")


def _admin(role):
    user = UserFactory(role=role, unit=None, authority=None)
    user.full_clean()
    user.save()
    return user


def test_the_audit_administrator_sees_the_broken_row_on_the_page(client):
    auditor = _admin(Role.AUDIT_ADMIN)
    events = _write(3)
    client.force_login(auditor)
    page = client.post(reverse("audit_chain")).content.decode()
    assert 'data-chain="intact"' in page
    _tamper("UPDATE core_auditevent SET action = %s WHERE id = %s", ["x", events[1].pk])
    page = client.post(reverse("audit_chain")).content.decode()
    assert f'data-broken-id="{events[1].pk}"' in page and 'data-problem="changed"' in page
    listing = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    assert 'data-testid="audit-chain-link"' in listing


@pytest.mark.parametrize("role", [Role.SYS_ADMIN, Role.SECURITY_ADMIN, Role.REVIEWER])
def test_only_the_audit_administrator_opens_the_check(client, role):
    client.force_login(_admin(role) if role != Role.REVIEWER else UserFactory(role=role))
    assert client.post(reverse("audit_chain")).status_code == 404


def test_an_audit_row_costs_two_queries(django_assert_max_num_queries):
    target = UserFactory(role=Role.UNIT_CLERK, unit=None, authority=None)
    audit_record(actor=None, action="warm", obj=target)
    # Inside the change's transaction: the last row's seal and the insert, plus on PostgreSQL
    # the advisory lock.
    with django_assert_max_num_queries(3 if connection.vendor == "postgresql" else 2):
        audit_record(actor=None, action="test.cost", obj=target)


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs the PostgreSQL trigger")
def test_postgresql_refuses_to_update_or_delete_audit_and_history_rows():
    from django.db import InternalError, ProgrammingError

    events = _write(1)
    for statement in (
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
            _sql(statement, [events[0].pk])
    history = importlib.import_module("waiban.core.migrations.0003_append_only_triggers").TABLES
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = c.relname || '_append_only'"
        )
        guarded = {name for (name,) in cursor.fetchall()}
    assert set(history) <= guarded and "visits_delegationevent" in guarded


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL writers")
def test_concurrent_writers_never_fork_the_chain():
    target = UserFactory(role=Role.UNIT_CLERK, unit=None, authority=None)
    barrier = threading.Barrier(4)
    errors = []

    def write():
        try:
            barrier.wait(timeout=10)
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="test.concurrent", obj=target, new={"i": i})
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    report = audit_chain_verify()
    assert report.intact and report.checked == AuditEvent.objects.count() >= 40
