"""Domain errors with stable codes, turned into page messages and API errors at the edge."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule refused an operation; `code` is stable, `message` is for people."""

    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotFound(DomainError):
    code = "not_found"
    status = 404


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422


class Conflict(DomainError):
    code = "conflict"
    status = 409


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409
