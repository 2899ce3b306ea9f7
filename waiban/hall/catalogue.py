"""The service catalogue's reads and its one write: a new version of a guide."""

from django.db import transaction
from django.db.models import Max

from waiban.core.audit import audit_record
from waiban.hall.models import ServiceGuideVersion, ServiceItem

GUIDE_FIELDS = [
    "name",
    "summary",
    "legal_basis",
    "conditions",
    "materials",
    "steps",
    "time_limit_days",
    "fees",
    "place_and_hours",
    "contact",
    "note",
]


def published_items():
    """The published items with their current version (one query for the items, one for the
    versions)."""
    items = list(ServiceItem.objects.filter(published=True))
    latest = {}
    for version in ServiceGuideVersion.objects.filter(item__in=items).order_by("item", "-number"):
        latest.setdefault(version.item_id, version)
    return [(item, latest[item.pk]) for item in items if item.pk in latest]


@transaction.atomic
def guide_version_create(*, actor, item, **values) -> ServiceGuideVersion:
    """A change to a guide: a new version numbered after the last; the old ones stay."""
    ServiceItem.objects.select_for_update().filter(pk=item.pk).first()
    last = item.versions.aggregate(last=Max("number"))["last"] or 0
    version = ServiceGuideVersion.objects.create(
        item=item,
        number=last + 1,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{name: values[name] for name in GUIDE_FIELDS if name in values},
    )
    audit_record(
        actor=actor,
        action="guide.version",
        obj=version,
        new={"item": item.code, "number": version.number},
    )
    return version
