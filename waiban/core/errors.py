"""Errors raised by service functions. Each has a stable code that tests and the UI key on."""


class ServiceError(Exception):
    """A business rule refused the action. ``code`` is stable; ``message`` is for people."""

    def __init__(self, code: str, message: str, *, field: str | None = None, params=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.params = params or {}

    def __str__(self):
        return f"[{self.code}] {self.message}"


class PermissionDenied(ServiceError):
    """The actor may not do this. Views turn it into a 404 where a 403 would leak existence."""


class StateConflict(ServiceError):
    """The object changed under the actor's feet (another user acted first)."""
