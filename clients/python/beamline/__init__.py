"""Beamline client: IS 456 reinforced-concrete beam design over REST, live sessions and batch jobs."""

from .aio import AsyncClient, AsyncSession
from .client import Client, Session
from .errors import (
    AuthenticationError,
    BeamlineError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    SessionClosed,
    SessionError,
    ValidationError,
)
from .models import (
    EXPOSURES,
    BarGroup,
    Beam,
    CaseResult,
    Check,
    CheckResult,
    Design,
    DesignResult,
    Event,
    FailedCheck,
    Job,
    Layer,
)

__all__ = [
    "AsyncClient", "AsyncSession", "Client", "Session",
    "AuthenticationError", "BeamlineError", "NotFoundError", "PermissionDeniedError", "RateLimitError",
    "ServerError", "SessionClosed", "SessionError", "ValidationError",
    "CaseResult", "Check", "CheckResult", "Design", "DesignResult", "Event", "FailedCheck", "Job",
    "EXPOSURES", "BarGroup", "Beam", "Layer",
]
__version__ = "0.1.0"
