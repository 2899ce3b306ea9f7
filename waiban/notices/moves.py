"""Every move of a registered workflow tells the audiences its transition names, in the move's
transaction (core.transitions.moved)."""

import threading
from contextlib import contextmanager

from django.contrib.auth import get_user_model

from waiban.notices.registry import WORKFLOWS, notice_message
from waiban.notices.routing import channels_for, notices_queue

_muted = threading.local()


@contextmanager
def moves_muted():
    """Moves made inside tell nobody: the demo writes a past that nobody needs told of now."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def notify_move(sender, *, workflow, obj, event, actor, action, **_kwargs) -> int:
    if getattr(_muted, "on", False):
        return 0
    flow = WORKFLOWS.get(workflow)
    transition = flow.table.get(action) if flow else None
    if transition is None or not transition.tell:
        return 0
    recipients: dict = {}
    for audience in transition.tell:
        channels = channels_for(workflow, action, audience)
        if not channels:
            continue
        for user in flow.audiences[audience](obj).select_related("notice_preference"):
            if actor is not None and user.pk == actor.pk:
                continue  # nobody is told of their own move
            recipients[user] = recipients.get(user, frozenset()) | channels
    if not recipients:
        return 0
    return notices_queue(
        ref=f"{workflow}:{event.pk}",
        recipients=recipients,
        builder="move",
        args={"workflow": workflow, "event_id": event.pk},
    )


def _moved_rows(history) -> list[str]:
    """The history model's links to the rows it records (the case, the plan): ``describe``
    reads them, so they come in the same query. Links to users (the actor) are left out."""
    return [
        f.name
        for f in history._meta.concrete_fields
        if f.many_to_one and not f.null and f.related_model is not get_user_model()
    ]


@notice_message("move")
def move_message(*, workflow, event_id):
    flow = WORKFLOWS[workflow]
    event = (
        flow.history.objects.select_related(*_moved_rows(flow.history)).filter(pk=event_id).first()
    )
    return flow.describe(event) if event is not None else None
