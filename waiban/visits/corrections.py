"""What a correction item can point at: a field of the form or a material."""

from django.utils.translation import gettext_lazy as _

CORRECTION_TARGETS = [
    ("title", _("Title")),
    ("task_type", _("Task type")),
    ("purpose", _("Purpose")),
    ("members", _("Members")),
    ("leader", _("Leader")),
    ("stops", _("Itinerary")),
    ("inviting_organisation", _("Inviting organisation")),
    ("invitation", _("Invitation letter")),
    ("budget", _("Budget")),
    ("agenda", _("Schedule / agenda")),
    ("other", _("Other material")),
]
TARGET_LABELS = dict(CORRECTION_TARGETS)
