"""The one django-tasks task of the outbox: deliver a message by id.

A task carries only the message id; everything else (attempts, back-off, the error) is on the
outbox row, because django-tasks marks a raising task FAILED and never runs it again. The
task itself never raises: ``outbox_deliver`` records the failure on the row.
"""

from django_tasks import task


@task()
def deliver(message_id: int) -> bool:
    from waiban.outbox.services import outbox_deliver

    return outbox_deliver(message_id=message_id)
