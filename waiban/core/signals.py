"""Keep caches honest when the data behind them changes."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from waiban.core.calendar import OVERRIDES_CACHE_KEY
from waiban.core.middleware import request_memo
from waiban.core.models import HolidayDay


@receiver([post_save, post_delete], sender=HolidayDay)
def forget_holiday_overrides(**kwargs):
    cache.delete(OVERRIDES_CACHE_KEY)
    memo = request_memo()  # a change made by this very request (the admin's save)
    if memo is not None:
        memo.pop(OVERRIDES_CACHE_KEY, None)
