"""Keeps the current request's client address where the audit trail can read it."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
_user_agent: ContextVar[str] = ContextVar("user_agent", default="")


def current_client_ip() -> str | None:
    return _client_ip.get()


def current_user_agent() -> str:
    return _user_agent.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip_token = _client_ip.set(request.META.get("REMOTE_ADDR"))
        ua_token = _user_agent.set(request.META.get("HTTP_USER_AGENT", "")[:255])
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(ip_token)
            _user_agent.reset(ua_token)
