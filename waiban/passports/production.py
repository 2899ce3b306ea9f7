"""From an approved delegation to passport production requests, with no data typed twice."""

from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from waiban.core.audit import audit_record
from waiban.core.errors import PermissionDenied, ServiceError
from waiban.passports.facts import kinds_needed
from waiban.passports.loans import check_not_approver
from waiban.passports.models import Passport, PassportEvent, ProductionRequest
from waiban.passports.photos import photo_problems
from waiban.passports.services import check_officer
from waiban.passports.states import VALID_STATUSES, Status
from waiban.rules.checks.passports import _add_months
from waiban.visits.states import State

NEW, RENEW, COLLECT, PENDING = "new", "renewal", "collect", "pending"


@dataclass(frozen=True)
class Need:
    member: object  # DelegationMember
    action: str  # new / renewal / collect / pending
    passport: Passport | None
    kind: str


def passport_needs(delegation) -> list[Need]:
    """What each member of the trip needs: a new passport, a renewal, or only to collect one."""
    members = list(delegation.members.select_related("person").order_by("position", "id"))
    countries = [s.country.code for s in delegation.stops.all()]
    kinds = kinds_needed(countries)
    held = {}
    # One passport per person: one being made (no expiry yet) first, else the longest-valid.
    # NULLS FIRST is spelled out because SQLite and PostgreSQL sort NULL at opposite ends.
    for p in Passport.objects.filter(
        person_id__in=[m.person_id for m in members], kind__in=kinds, status__in=VALID_STATUSES
    ).order_by(F("expiry_date").desc(nulls_first=True), "-id"):
        held.setdefault(p.person_id, p)
    limit = _add_months(delegation.return_date, 6) if delegation.return_date else None
    needs = []
    for member in members:
        passport = held.get(member.person_id)
        if passport is None:
            action = NEW
        elif passport.status in (Status.APPLIED, Status.IN_PRODUCTION):
            action = PENDING
        elif limit and passport.expiry_date and passport.expiry_date < limit:
            action = RENEW
        else:
            action = COLLECT
        needs.append(Need(member, action, passport, passport.kind if passport else kinds[-1]))
    return needs


def production_requests_create(*, delegation, actor) -> list[ProductionRequest]:
    """One step: a production request (and an applied-for passport) for every member who needs
    a new passport or a renewal, filled from the registry."""
    check_officer(actor, delegation.authority_id)
    with transaction.atomic():
        check_not_approver(actor, delegation)
        if delegation.state != State.APPROVED:
            raise ServiceError(
                "trip_not_approved", _("Passports are produced only for an approved trip.")
            )
        created = []
        for need in passport_needs(delegation):
            if need.action not in (NEW, RENEW):
                continue
            person = need.member.person
            passport = Passport.objects.create(
                person=person,
                authority_id=delegation.authority_id,
                kind=need.kind,
                status=Status.APPLIED,
                replaces=need.passport if need.action == RENEW else None,
            )
            PassportEvent.objects.create(
                passport=passport,
                actor=actor,
                action="apply",
                to_status=Status.APPLIED,
                delegation=delegation,
            )
            request = ProductionRequest.objects.create(
                delegation=delegation,
                person=person,
                passport=passport,
                reason=need.action,
                created_by=actor,
            )
            audit_record(
                actor=actor,
                action="passport.request_create",
                obj=request,
                new={"delegation": delegation.pk, "person": person.pk, "reason": need.action},
            )
            created.append(request)
        if not created:
            raise ServiceError(
                "nothing_to_request", _("Every member already has a valid passport.")
            )
        return created


def production_photo_upload(*, request, actor, uploaded) -> ProductionRequest:
    """The unit clerk uploads the member's photo; every problem is named, nothing is kept.

    Once an accepted photo commits, the passport application form is issued (or, for a
    replaced photo, re-issued as a new version) through the documents machinery."""
    if actor.role != "unit_clerk" or actor.unit_id != request.delegation.unit_id:
        raise PermissionDenied("not_found", _("No such request."))
    uploaded.seek(0)
    data = uploaded.read()
    problems = photo_problems(data)
    if problems:
        raise ServiceError(
            "photo_rejected",
            " ".join(p.message for p in problems),
            field="photo",
            params={"problems": [p.code for p in problems]},
        )
    with transaction.atomic():
        locked = ProductionRequest.objects.select_for_update().get(pk=request.pk)
        name = f"{locked.pk}-{timezone.now():%Y%m%d%H%M%S}.jpg"
        locked.photo.save(name, ContentFile(data), save=False)
        locked.photo_uploaded_at = timezone.now()
        locked.save(update_fields=["photo", "photo_uploaded_at"])
        audit_record(actor=actor, action="passport.photo_upload", obj=locked, new={"photo": name})
        from waiban.documents.services import passport_form_issue_after_photo

        transaction.on_commit(
            partial(passport_form_issue_after_photo, request_id=locked.pk, actor_id=actor.pk)
        )
        return locked
