"""Request id, Content-Security-Policy and language handling."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from jiceng.core.context import request_context

Handler = Callable[[HttpRequest], HttpResponse]
# An incoming id is honoured only if it is short and plain (no spaces or control characters
# that would forge log lines or break the echoed header); otherwise a fresh one is made.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestIdMiddleware:
    """Give every request an id (or honour ``X-Request-ID``) for logs and audit entries."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        candidate = incoming if REQUEST_ID_PATTERN.fullmatch(incoming) else None
        with request_context(candidate) as request_id:
            request.request_id = request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            return response


class ContentSecurityPolicyMiddleware:
    """Only local assets: no CDN, no inline script (county intranets have no internet)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DefaultLanguageMiddleware:
    """Chinese unless the user chose otherwise: ignore the browser's Accept-Language header.

    County machines often run English-language browsers; the UI must still open in Simplified
    Chinese. A choice made with the language switcher (the language cookie) wins. Runs before
    Django's LocaleMiddleware.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
