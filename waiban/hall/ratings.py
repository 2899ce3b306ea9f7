"""Service evaluation (好差评): one rating per case (online, by the unit's clerk) and one per
window visit (on site, from the receipt's QR link once served). A bad review (levels 1-2)
opens a rectification for the office, due in working days (HALL_RECTIFICATION_WORKING_DAYS,
5 by default); the office answers it, then follows up with the rater."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waiban.accounts.roles import Role
from waiban.core.audit import audit_record
from waiban.core.calendar import WorkingCalendar
from waiban.core.errors import PermissionDenied, ServiceError, StateConflict
from waiban.core.transitions import (
    SYSTEM,
    Transition,
    lock_for_move,
    moved,
    record_move,
    transitions_table,
)
from waiban.hall.models import (
    BAD_LEVELS,
    Booking,
    Rating,
    RatingLevel,
    Rectification,
    RectificationEvent,
    RectificationStatus,
    TicketStatus,
)
from waiban.visits.states import State

R = RectificationStatus
OFFICE_HANDLERS = frozenset({Role.REVIEWER, Role.WINDOW_CLERK})
SCORES = ("guidance", "efficiency", "convenience", "attitude")

RECTIFICATION_TRANSITIONS = transitions_table(
    Transition(
        action="open",
        sources=frozenset({""}),
        target=R.OPEN,
        roles=frozenset({SYSTEM}),
        label=gettext_lazy("Open a rectification"),
        timeline=gettext_lazy("Bad review: rectification opened"),
        tell=("office",),
    ),
    Transition(
        action="answer",
        sources=frozenset({R.OPEN}),
        target=R.ANSWERED,
        roles=OFFICE_HANDLERS,
        label=gettext_lazy("Send the rectification"),
        service="waiban.hall.ratings.rectification_answer",
        timeline=gettext_lazy("Rectified and answered"),
        text="answer",
        tell=("unit",),
    ),
    Transition(
        action="follow_up",
        sources=frozenset({R.ANSWERED}),
        target=R.CLOSED,
        roles=OFFICE_HANDLERS,
        label=gettext_lazy("Record the follow-up"),
        service="waiban.hall.ratings.rectification_follow_up",
        timeline=gettext_lazy("Followed up with the rater"),
        text="follow_up",
    ),
)


def rectification_days() -> int:
    return int(getattr(settings, "HALL_RECTIFICATION_WORKING_DAYS", 5))


def _level(value, field="level", required=True):
    if value in (None, "") and not required:
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        raise ServiceError("bad_level", _("Choose one of the five levels."), field=field)
    return level


def _save(rating: Rating, actor) -> Rating:
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        raise StateConflict("already_rated", _("This has already been rated.")) from None
    audit_record(
        actor=actor,
        action="rating.create",
        obj=rating,
        new={"level": rating.level, **{s: getattr(rating, s) for s in SCORES}},
    )
    if rating.level in BAD_LEVELS:
        _open_rectification(rating)
    return rating


def _open_rectification(rating: Rating) -> Rectification:
    deadline = WorkingCalendar().add_working_days(timezone.localdate(), rectification_days())
    rectification = Rectification.objects.create(
        rating=rating, authority_id=rating.authority_id, deadline=deadline
    )
    event = RectificationEvent.objects.create(
        rectification=rectification, action="open", to_status=R.OPEN
    )
    audit_record(
        actor=None,
        action="rectification.open",
        obj=rectification,
        new={"rating": rating.pk, "deadline": deadline},
    )
    moved.send(
        sender=Rectification,
        workflow="rectification",
        obj=rectification,
        event=event,
        actor=None,
        action="open",
    )
    return rectification


def _scores(values: dict) -> dict:
    return {name: _level(values.get(name), field=name, required=False) for name in SCORES}


@transaction.atomic
def rating_for_case(*, actor, delegation, level, comment="", **scores) -> Rating:
    if actor is None or actor.role != Role.UNIT_CLERK or delegation.unit_id != actor.unit_id:
        raise PermissionDenied("not_found", _("This case does not exist."))
    if delegation.state in (State.DRAFT, State.SENT_BACK):
        raise StateConflict(
            "not_yet", _("A case can be rated once the office has handled it."), field="level"
        )
    if Rating.objects.filter(delegation=delegation).exists():
        raise StateConflict("already_rated", _("This case has already been rated."))
    rating = Rating(
        authority_id=delegation.authority_id,
        delegation=delegation,
        unit_id=delegation.unit_id,
        level=_level(level),
        comment=(comment or "")[:500],
        rated_by=actor,
        **_scores(scores),
    )
    return _save(rating, actor)


@transaction.atomic
def rating_for_visit(*, token, level, comment="", **scores) -> Rating:
    """The rating button of the window: from the receipt's QR link, once the visit is served."""
    booking = (
        Booking.objects.select_related("ticket__window").filter(token=token or "-").first()
        if token
        else None
    )
    ticket = getattr(booking, "ticket", None) if booking else None
    if ticket is None or ticket.status != TicketStatus.DONE:
        raise StateConflict("not_served", _("The visit can be rated once it has been served."))
    if Rating.objects.filter(ticket=ticket).exists():
        raise StateConflict("already_rated", _("This visit has already been rated."))
    rating = Rating(
        authority_id=ticket.window.authority_id,
        ticket=ticket,
        unit_id=booking.unit_id,
        level=_level(level),
        comment=(comment or "")[:500],
        **_scores(scores),
    )
    return _save(rating, None)


def _office_may_see(actor, rectification) -> bool:
    return rectification.authority_id == actor.authority_id


def _lock(pk, *, actor, action, expected_version):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    return lock_for_move(
        Rectification.objects.all(),
        pk,
        actor=actor,
        transition=RECTIFICATION_TRANSITIONS[action],
        expected_version=expected_version,
        can_see=_office_may_see,
        stale_message=_("Someone changed this rectification meanwhile; it is now “%(status)s”."),
        not_now_message=_("A rectification that is “%(status)s” cannot move: %(action)s."),
        not_found_message=_("This rectification does not exist."),
        field="status",
    )


def _required(text, field):
    text = (text or "").strip()
    if not text:
        raise ServiceError("text_required", _("Write what was done."), field=field)
    return text[:4000]


@transaction.atomic
def rectification_answer(*, actor, rectification_id, answer, expected_version=None):
    locked = _lock(
        rectification_id, actor=actor, action="answer", expected_version=expected_version
    )
    locked.answer = _required(answer, "answer")
    return record_move(
        locked,
        actor=actor,
        action="answer",
        target=R.ANSWERED,
        history=RectificationEvent,
        audit_prefix="rectification",
        field="status",
        new={"answer": locked.answer},
        rectification=locked,
        comment=locked.answer,
    )


@transaction.atomic
def rectification_follow_up(*, actor, rectification_id, follow_up, expected_version=None):
    locked = _lock(
        rectification_id, actor=actor, action="follow_up", expected_version=expected_version
    )
    locked.follow_up = _required(follow_up, "follow_up")
    return record_move(
        locked,
        actor=actor,
        action="follow_up",
        target=R.CLOSED,
        history=RectificationEvent,
        audit_prefix="rectification",
        field="status",
        new={"follow_up": locked.follow_up},
        rectification=locked,
        comment=locked.follow_up,
    )
