import datetime as dt

from django.utils import timezone

from waiban.core.calendar import years_without_holiday_data


def calendar_warning(request):
    """Staff must see when deadlines are computed from weekends only (no holiday data)."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=40)
    return {"calendar_missing_years": years_without_holiday_data({today.year, horizon.year})}
