"""Keep caches honest when the data behind them changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from waiban.core.calendar import OVERRIDES_CACHE_KEY
from waiban.core.models import HolidayDay
from waiban.core.shared import shared_forget


@receiver([post_save, post_delete], sender=HolidayDay)
def forget_holiday_overrides(**kwargs):
    shared_forget(OVERRIDES_CACHE_KEY)  # also for the rest of the request that made the change
