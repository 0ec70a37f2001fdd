"""Directory figures for the county overview: people, enterprises and grids per child area."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jiceng.core.dashboard import register_widget
from jiceng.core.scope import minimal_paths, user_scope_paths
from jiceng.directory.models import Area, Enterprise, Grid, Person

SEGMENT = 13  # 12-digit code plus the separator


def scope_root(request: HttpRequest, perm: str) -> Area | None:
    """The area the overview is drawn for: ``?area=<code>`` when inside the user's scope, else the user's top area."""
    paths = minimal_paths(user_scope_paths(request.user, perm))
    if not paths:
        return None
    code = request.GET.get("area", "")
    if code:
        area = Area.objects.filter(code=code).first()
        if area is not None and any(area.path.startswith(p) for p in paths):
            return area
    return Area.objects.filter(path=paths[0]).first()


def parent_in_scope(root: Area, user: Any, perm: str) -> Area | None:
    """The parent of ``root`` when ``user`` holds ``perm`` over it: the "Up" link of a drill-down."""
    parent = root.parent
    if parent is None:
        return None
    return parent if any(parent.path.startswith(p) for p in user_scope_paths(user, perm)) else None


def counts_by_child(model: Any, user: Any, root: Area) -> dict[str, int]:
    """{child path: rows} for rows of ``model`` under ``root``, in one GROUP BY query."""
    prefix_len = len(root.path) + SEGMENT
    rows = (
        model.objects.restrict(user, "view")
        .filter(area__path__startswith=root.path)
        .annotate(child=Substr("area__path", 1, prefix_len))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["child"]: row["n"] for row in rows}


@register_widget("directory.overview", order=10)
def overview(request: HttpRequest) -> dict[str, Any] | None:
    root = scope_root(request, "directory.view_person")
    if root is None:
        return None
    children = list(Area.objects.filter(parent=root).order_by("code").only("code", "name", "path"))
    persons = counts_by_child(Person, request.user, root)
    enterprises = counts_by_child(Enterprise, request.user, root)
    grids = counts_by_child(Grid, request.user, root)
    rows = [
        {
            "code": child.code,
            "name": child.name,
            "persons": persons.get(child.path, 0),
            "enterprises": enterprises.get(child.path, 0),
            "grids": grids.get(child.path, 0),
        }
        for child in children
    ]
    totals = {
        "persons": sum(persons.values()),
        "enterprises": sum(enterprises.values()),
        "grids": sum(grids.values()),
    }
    chart = {
        "title": _("Registered persons and enterprises by area"),
        "categories": [r["name"] for r in rows],
        "series": [
            {"name": _("Persons"), "data": [r["persons"] for r in rows]},
            {"name": _("Enterprises"), "data": [r["enterprises"] for r in rows]},
        ],
    }
    return {
        "template": "directory/widgets/overview.html",
        "root": root,
        "parent": root.parent
        if root.parent_id
        and any(root.parent.path.startswith(p) for p in user_scope_paths(request.user, "directory.view_person"))
        else None,
        "rows": rows,
        "totals": totals,
        "chart": chart,
    }
