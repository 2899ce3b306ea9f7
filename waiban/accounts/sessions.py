"""Sessions end after a time without activity and after an absolute lifetime, whatever the
activity; a user who owes the second factor gives it (or enrols) before anything else, and
a user whose password was reset then changes it.

The last activity is written at most once a minute, so most requests write no session.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from waiban.accounts.second_factor import has_device, second_factor_missing

STARTED, SEEN = "waiban_started", "waiban_seen"
# Paths a user who must change the password may still open.
_FORCED_CHANGE_EXEMPT = ("password_change", "logout", "set_language")
# Paths a user who still owes the second factor may open.
_SECOND_FACTOR_EXEMPT = ("otp_verify", "otp_enrol", "logout", "set_language")


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ended = self._ended(request)
            if ended:
                logout(request)
                messages.info(request, ended)
                return redirect(f"{reverse('login')}?{urlencode({'next': request.path})}")
            if second_factor_missing(request) and not self._exempt(request, _SECOND_FACTOR_EXEMPT):
                return redirect("otp_verify" if has_device(request) else "otp_enrol")
            if user.must_change_password and not self._exempt(request, _FORCED_CHANGE_EXEMPT):
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _ended(request) -> str:
        now = int(time.time())
        session = request.session
        started = session.setdefault(STARTED, now)
        seen = session.get(SEEN, now)
        if now - seen > settings.SESSION_IDLE_SECONDS:
            return _("You were logged out after %(minutes)d minutes without activity.") % {
                "minutes": settings.SESSION_IDLE_SECONDS // 60
            }
        if now - started > settings.SESSION_ABSOLUTE_SECONDS:
            return _("Your session ended after %(hours)d hours; please log in again.") % {
                "hours": settings.SESSION_ABSOLUTE_SECONDS // 3600
            }
        if now - seen >= 60 or SEEN not in session:
            session[SEEN] = now
        return ""

    @staticmethod
    def _exempt(request, names) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in names
