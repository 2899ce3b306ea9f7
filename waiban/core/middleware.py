"""Keeps the current request's client address where the audit trail can read it, and a memo
that lives as long as the request (reference data read once per request, not once per use);
turns away input no page can use (a NUL character)."""

from contextvars import ContextVar

from django.shortcuts import render
from django.utils.translation import gettext as _

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
_user_agent: ContextVar[str] = ContextVar("user_agent", default="")
_request_memo: ContextVar[dict | None] = ContextVar("request_memo", default=None)


def current_client_ip() -> str | None:
    return _client_ip.get()


def current_user_agent() -> str:
    return _user_agent.get()


def request_memo() -> dict | None:
    """A dict for the current request; None outside one (commands, tests without a request)."""
    return _request_memo.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from waiban.core.ratelimit import client_address

        ip_token = _client_ip.set(client_address(request) or None)
        ua_token = _user_agent.set(request.META.get("HTTP_USER_AGENT", "")[:255])
        memo_token = _request_memo.set({})
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(ip_token)
            _user_agent.reset(ua_token)
            _request_memo.reset(memo_token)


def _holds_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class RejectNulMiddleware:
    """A NUL character in a query parameter or a form field is answered with a 400 page that
    says so, before any view reads it.

    Nobody types one, and PostgreSQL can neither store nor compare text holding one: a search,
    a filter or a field that a view reads as it comes would otherwise fail with a server error.
    Uploaded files are not form fields and are not looked at. Put after the authentication
    middleware: the page is drawn for the user who is logged in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return render(
                request,
                "bad_input.html",
                {
                    "code": "nul_character",
                    "message": _(
                        "What was sent contains an invisible control character (NUL) that "
                        "cannot be saved or searched for. Go back, type the text again "
                        "instead of pasting it, and send it again."
                    ),
                },
                status=400,
            )
        return self.get_response(request)
