"""Exceptions for every error answer of the API (docs/http.md)."""

from __future__ import annotations

from typing import Any, Dict, List, Optional


class BeamlineError(Exception):
    """An error answer from the server, or a failure to reach it."""

    def __init__(self, status: int, body: Optional[Dict[str, Any]] = None, retry_after: Optional[float] = None):
        body = body or {}
        self.status = status
        self.code: str = body.get("code", "http_error")
        self.detail: str = body.get("detail", f"HTTP {status}")
        self.errors: List[Dict[str, str]] = body.get("errors") or []
        self.request_id: Optional[str] = body.get("request_id")
        self.retry_after = retry_after
        super().__init__(f"{status} {self.code}: {self.detail}")


class AuthenticationError(BeamlineError):
    """401: no token, or a bad or expired one."""


class PermissionDeniedError(BeamlineError):
    """403: the token lacks the scope the route needs."""


class NotFoundError(BeamlineError):
    """404: no such route, or no such job for this user."""


class ValidationError(BeamlineError):
    """422: the input is invalid; ``errors`` lists every field with its problem."""


class RateLimitError(BeamlineError):
    """429: too many requests; ``retry_after`` is the number of seconds to wait."""


class ServerError(BeamlineError):
    """5xx: a fault in the server, or it is not ready."""


class SessionError(BeamlineError):
    """An ``error`` message on a live session (the connection stays open)."""


class SessionClosed(BeamlineError):
    """The server closed the live session (``status`` holds the close code: 4401, 4403, 1008, …)."""


_BY_STATUS = {401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 422: ValidationError, 429: RateLimitError}


def error_for(status: int, body: Optional[Dict[str, Any]], retry_after: Optional[str]) -> BeamlineError:
    """The most specific exception for an error answer."""
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else BeamlineError)
    seconds = float(retry_after) if retry_after else None
    return cls(status, body if isinstance(body, dict) else None, seconds)
