"""Keep the cached stage limits honest: a changed limit counts for the next transition."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from waiban.visits.deadlines import forget_stage_limits


@receiver([post_save, post_delete], sender="visits.StageLimit")
def forget_cached_stage_limits(**kwargs):
    forget_stage_limits()
