"""Domain errors: every refusal carries a stable code and a human message.

Views render them, the API turns them into ``{"code", "message", "errors"}`` JSON, and
the command line prints them. ``NotFound`` is deliberately the same for "missing" and
"outside your area": an object a user may not see does not exist for that user.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404


class DomainError(Exception):
    """A business rule refused an action. Nothing was written."""

    code = "domain_error"
    status = 400

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["errors"] = {self.field: [self.message]}
        if self.details:
            data["details"] = self.details
        return data


class InvalidInput(DomainError):
    code = "invalid"


class OutOfScope(DomainError):
    """A write would put an object outside the writer's area subtree."""

    code = "out_of_scope"
    status = 403


class PermissionRefused(DomainError):
    code = "permission_denied"
    status = 403


class NotFound(Http404):
    """Missing, or outside the user's scope: the two are indistinguishable on purpose."""
