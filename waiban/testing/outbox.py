"""Background work in tests, deterministic and in-process.

The tests run with django-tasks' ImmediateBackend (set for every test in ``waiban/conftest.py``),
so a message's delivery task runs as soon as it is queued — that is, when the transaction that
wrote the message commits. In a test (one transaction that never commits) that is when
``django_capture_on_commit_callbacks(execute=True)`` runs the captured callbacks; a test that
wants to look between the commit and the delivery captures with ``execute=False`` and delivers
itself with ``deliver_outbox()`` (or calls the callbacks).

``deliver_outbox`` also delivers what no task will (a retry whose back-off passed, a delayed
message): every pending message due at ``now``, in this process.
"""

import pytest

from waiban.outbox.services import outbox_deliver_due

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def deliver_outbox(*, now=None) -> int:
    """Deliver every pending outbox message due at ``now`` (default: now); how many succeeded."""
    return outbox_deliver_due(now=now)


@pytest.fixture
def outbox_delivery(db):
    """The ``deliver_outbox`` function, for tests that take it as a fixture."""
    return deliver_outbox
