"""Keeps the current request's client address where the audit trail can read it, and a memo
that lives as long as the request (reference data read once per request, not once per use)."""

from contextvars import ContextVar

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
