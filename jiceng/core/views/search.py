"""Site-wide search: the ``q`` filter of every registered model's FilterSet, within the user's scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.views.generic import registered_model_views

RESULTS_PER_MODEL = 10
MIN_QUERY_LENGTH = 1


def search_results(user: Any, query: str) -> list[dict[str, Any]]:
    """Up to ``RESULTS_PER_MODEL`` matches per model the user may view, with a link to the full list."""
    query = query.strip()
    if len(query) < MIN_QUERY_LENGTH:
        return []
    groups = []
    for views in registered_model_views():
        model = views.model
        if "q" not in views.filterset.base_filters or not user_scope_paths(user, permission_name(model, "view")):
            continue
        qs = model.objects.restrict(user, "view")
        if views.select_related:
            qs = qs.select_related(*views.select_related)
        filterset = views.filterset({"q": query}, queryset=qs)
        hits = list(filterset.qs[: RESULTS_PER_MODEL + 1])
        if hits:
            groups.append(
                {
                    "title": model._meta.verbose_name_plural,
                    "objects": hits[:RESULTS_PER_MODEL],
                    "more": len(hits) > RESULTS_PER_MODEL,
                    "list_url": f"{reverse(views.url_name('list'))}?{urlencode({'q': query})}",
                }
            )
    return groups


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    return render(request, "core/search.html", {"query": query, "groups": search_results(request.user, query)})
