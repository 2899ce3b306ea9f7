"""What the notices know of the other apps, registered by them: each workflow's table, history
model, audiences and message; and the other messages (reminders) by name.

A workflow registers in its app's ``notify.py`` (imported by its AppConfig.ready)::

    notice_workflow(
        "delegation", table=TRANSITIONS, history=DelegationEvent,
        audiences={"unit": unit_clerks_of, ...}, describe=describe_move,
    )

A move's transition names its audiences (``Transition.tell``); ``describe(event)`` gives the
message of a history row, in the language active when it is called.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    subject: str  # the inbox's line and the e-mail's subject
    body: str  # the inbox's text and the e-mail's body
    sms: str  # short: no names beyond the case's number, never an ID or passport number
    link: str = ""  # the path where the work is done


@dataclass(frozen=True)
class NoticeWorkflow:
    name: str
    table: dict  # action -> core.transitions.Transition
    history: type  # the history model: ``describe`` gets one of its rows
    audiences: dict  # audience name -> function(row) -> iterable of users
    describe: Callable


WORKFLOWS: dict[str, NoticeWorkflow] = {}
MESSAGES: dict[str, Callable[..., Message]] = {}


def notice_workflow(name, *, table, history, audiences, describe) -> None:
    for transition in table.values():
        unknown = set(transition.tell) - set(audiences)
        if unknown:
            raise ValueError(f"{name}.{transition.action} tells unknown audiences {unknown}")
    WORKFLOWS[name] = NoticeWorkflow(name, table, history, audiences, describe)


def notice_message(name: str):
    """Register the function that writes a message (a reminder) from its keyword arguments."""

    def register(function):
        MESSAGES[name] = function
        return function

    return register


def message_for(builder: str, args: dict) -> Message | None:
    """The message of an outbox row; None when what it speaks of no longer exists."""
    return MESSAGES[builder](**args)
