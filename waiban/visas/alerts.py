"""The regime-change alert: when a new edition of the visa regime table changes what a member
of a trip still ahead needs, the office's visa officers are told, once per edition and trip."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from waiban.accounts.models import User
from waiban.accounts.roles import Role
from waiban.accounts.scoping import visible_authority_ids
from waiban.notices.registry import Message, notice_message
from waiban.notices.routing import channels_for, notices_queue
from waiban.visas.needs import trip_visas
from waiban.visits.models import Delegation
from waiban.visits.states import State


def _needs(delegation, edition_id) -> dict:
    return {
        (n.member.pk, n.country): n.needs_visa
        for n in trip_visas(delegation, edition_id=edition_id).needs
    }


def trip_changes(delegation, *, old_id, new_id) -> list[dict]:
    """Per country, how many members need a visa now and did not before, and the reverse."""
    before, after = _needs(delegation, old_id), _needs(delegation, new_id)
    changes = {}
    for key, needs in after.items():
        if before.get(key, True) != needs:
            row = changes.setdefault(key[1], {"country": key[1], "now_needed": 0, "no_longer": 0})
            row["now_needed" if needs else "no_longer"] += 1
    return sorted(changes.values(), key=lambda c: c["country"])


def regime_changes_tell(*, previous, edition) -> int:
    """Inside the load's transaction: every trip approved and still ahead whose needs changed;
    its office's visa officers are told. Returns the trips found."""
    today = timezone.localdate()
    trips = Delegation.objects.filter(
        Q(departure_date__gte=today) | Q(departure_date__isnull=True), state=State.APPROVED
    ).select_related("authority__parent__parent")
    officers = list(
        User.objects.filter(is_active=True, role=Role.VISA_OFFICER).select_related(
            "notice_preference"
        )
    )
    found = 0
    for delegation in trips.iterator():
        changes = trip_changes(delegation, old_id=previous.pk, new_id=edition.pk)
        if not changes:
            continue
        found += 1
        told = [u for u in officers if delegation.authority_id in visible_authority_ids(u)]
        channels = channels_for("visa_regime", "changed", "office")
        notices_queue(
            ref=f"visa-regime:{edition.pk}:{delegation.pk}",
            recipients={user: channels for user in told},
            builder="visa_regime_changed",
            args={"delegation_id": delegation.pk, "edition": edition.name, "changes": changes},
        )
    return found


@notice_message("visa_regime_changed")
def visa_regime_changed_message(*, delegation_id, edition, changes):
    trip = Delegation.objects.filter(pk=delegation_id).first()
    if trip is None:
        return None
    lines = []
    for change in changes:
        figures = {**change, "country": countries.name(change["country"]) or change["country"]}
        if change["now_needed"]:
            lines.append(_("%(country)s: %(now_needed)d member(s) now need a visa") % figures)
        if change["no_longer"]:
            lines.append(_("%(country)s: %(no_longer)d member(s) no longer need a visa") % figures)
    figures = {"case": trip.case_number or "", "edition": edition}
    return Message(
        subject=_("The visas of trip %(case)s change with the regime table %(edition)s") % figures,
        body="\n".join(lines),
        sms=_("[Foreign Affairs Office] The visas of trip %(case)s have changed.") % figures,
        link=reverse("visas:case", args=[trip.pk]),
    )
