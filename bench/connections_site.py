"""The URLconf served by the connections bench: one view, one indexed query; one view, none."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from jiceng.directory.models import Area

CODE = "371522000000"  # 莘县 in the test cast; ``directory_area.code`` has a unique index


def one_query(request: HttpRequest) -> JsonResponse:
    """Exactly one query: an indexed lookup of an area by its unique division code."""
    row = Area.objects.filter(code=request.GET.get("code", CODE)).values("id", "name").first()
    return JsonResponse({"area": row})


def no_query(request: HttpRequest) -> JsonResponse:
    """The same response path without the database: the server's own ceiling."""
    return JsonResponse({"area": None})


urlpatterns = [path("one-query", one_query), path("no-query", no_query)]
