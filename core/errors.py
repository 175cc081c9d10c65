"""DomainError: the one way a service refuses an act.

Every refusal carries a stable machine `code`, a translated Chinese `message` that says which rule
refused and what would make the act allowed, optionally the legal `basis` and per-field errors.
Views turn it into form errors, the API into a JSON error body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class DomainError(Exception):
    code: str = "domain_error"
    status: int = 400

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        basis: str = "",
        field_errors: Mapping[str, Sequence[Any]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        if status:
            self.status = status
        self.basis = basis
        self.field_errors = {k: [str(m) for m in v] for k, v in (field_errors or {}).items()}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.basis:
            body["basis"] = self.basis
        if self.field_errors:
            body["field_errors"] = self.field_errors
        return body


class ValidationFailed(DomainError):
    code = "validation_failed"


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class CalendarUnavailable(DomainError):
    """A date outside every calendar the system holds (neither official nor provisional)."""

    code = "calendar_unavailable"
