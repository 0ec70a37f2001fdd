"""Every API error is JSON ``{"code": "...", "message": "...", "errors": {field: [...]}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from jiceng.core.errors import DomainError


def _django_validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [str(d) for d in detail]
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _flatten(v)]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        first = next(iter(errors.values()))[0]
        return Response({"code": "invalid", "message": first, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        errors = {field: _flatten(msgs) for field, msgs in detail.items()}
        first_field, first_msgs = next(iter(errors.items()))
        message = f"{first_field}: {first_msgs[0]}" if first_msgs else _("Invalid input.")
        response.data = {"code": "invalid", "message": message, "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        response.data = {"code": code, "message": str(exc.detail)}
    else:  # Http404, PermissionDenied converted by DRF
        response.data = {
            "code": "not_found" if response.status_code == 404 else "error",
            "message": str(response.data.get("detail", "")) if isinstance(response.data, dict) else "",
        }
    return response
