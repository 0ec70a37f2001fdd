"""Site pages that belong to no single model: dashboard, health check, language switch."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import jiceng
from jiceng.core.dashboard import widgets_for


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability; 503 names the failing part."""
    body: dict[str, Any] = {"status": "ok", "database": "ok", "version": jiceng.__version__}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        body.update(status="error", database=f"error: {exc.__class__.__name__}")
        return JsonResponse(body, status=503)
    return JsonResponse(body)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The county overview (驾驶舱): every registered widget the user may see."""
    return render(request, "core/dashboard.html", {"widgets": widgets_for(request)})
