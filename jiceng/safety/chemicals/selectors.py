"""Scoped reads of the chemical registration: products, their chain of scans, the completion rate.

The completion rate is set-based: one GROUP BY over the safety profiles of the area (by
hazardous-chemical role and child area), each profile flagged by an ``EXISTS`` over its
enterprise's registered products. Enterprises with at least one registered product ÷ enterprises
with that role.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from jiceng.core.selectors import access_object
from jiceng.directory.models import Area
from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan
from jiceng.safety.models import ChemicalRole, SafetyProfile
from jiceng.safety.selectors import rate

SEGMENT = 13  # a 12-digit division code and its separator in ``Area.path``
ROLES = [role for role in ChemicalRole if role.value]


def access_product(user: Any, pk: Any, action: str = "view") -> ChemicalProduct:
    queryset = ChemicalProduct.objects.select_related("enterprise", "area")
    return access_object(user, ChemicalProduct, {"pk": pk}, action, queryset=queryset)


def registered_products(on: dt.date) -> QuerySet[ChemicalProduct]:
    return ChemicalProduct.objects.filter(registered_on__isnull=False, registered_on__lte=on)


def product_chain(user: Any, product: ChemicalProduct) -> QuerySet[ProductScan]:
    """The product's scans in chain order (oldest first) as ``user`` may see them."""
    return (
        ProductScan.objects.restrict(user, "view")
        .filter(product=product)
        .select_related("recorded_by")
        .order_by("scanned_at", "id")
    )


def _row(role: Any, found: dict[str, int] | None) -> dict[str, Any]:
    total = (found or {}).get("enterprises", 0)
    done = (found or {}).get("registered", 0)
    return {
        "role": role.value,
        "label": role.label,
        "enterprises": total,
        "registered": done,
        "rate": rate(done, total),
    }


def registration_completion(user: Any, root: Area, *, on: dt.date) -> dict[str, Any]:
    """Per hazardous-chemical role: enterprises with that role in ``root``'s subtree, those with at
    least one product registered by ``on``, and the rate — for ``root`` and for each child area."""
    profiles = (
        SafetyProfile.objects.restrict(user, "view").filter(area__path__startswith=root.path).exclude(chemical_role="")
    )
    registered = registered_products(on).restrict(user, "view").filter(enterprise=OuterRef("enterprise"))
    grouped = (
        profiles.annotate(child=Substr("area__path", 1, len(root.path) + SEGMENT), has_product=Exists(registered))
        .values("child", "chemical_role")
        .annotate(enterprises=Count("id"), registered=Count("id", filter=Q(has_product=True)))
        .order_by()
    )
    by_child: dict[str, dict[str, dict[str, int]]] = {}
    totals: dict[str, dict[str, int]] = {}
    for row in grouped:
        child = row["child"] if len(row["child"]) > len(root.path) else root.path
        by_child.setdefault(child, {})[row["chemical_role"]] = row
        total = totals.setdefault(row["chemical_role"], {"enterprises": 0, "registered": 0})
        total["enterprises"] += row["enterprises"]
        total["registered"] += row["registered"]
    rows = [_row(role, totals.get(role.value)) for role in ROLES]
    children = []
    for area in Area.objects.filter(parent=root).order_by("code").only("code", "name", "path"):
        cells = [_row(role, by_child.get(area.path, {}).get(role.value)) for role in ROLES]
        enterprises = sum(c["enterprises"] for c in cells)
        if enterprises:
            done = sum(c["registered"] for c in cells)
            children.append(
                {
                    "area": area,
                    "cells": cells,
                    "enterprises": enterprises,
                    "registered": done,
                    "rate": rate(done, enterprises),
                }
            )
    own = by_child.get(root.path)
    if own:
        cells = [_row(role, own.get(role.value)) for role in ROLES]
        enterprises = sum(c["enterprises"] for c in cells)
        done = sum(c["registered"] for c in cells)
        children.append(
            {
                "area": None,
                "cells": cells,
                "enterprises": enterprises,
                "registered": done,
                "rate": rate(done, enterprises),
            }
        )
    enterprises = sum(r["enterprises"] for r in rows)
    done = sum(r["registered"] for r in rows)
    return {
        "root": root,
        "on": on,
        "rows": rows,
        "children": children,
        "totals": {"enterprises": enterprises, "registered": done, "rate": rate(done, enterprises)},
    }


def product_counts(user: Any, root: Area, *, on: dt.date) -> dict[str, int]:
    """Products in ``root``'s subtree: all, registered by ``on``, scans recorded."""
    products = ChemicalProduct.objects.restrict(user, "view").filter(area__path__startswith=root.path)
    figures = products.aggregate(
        products=Count("id"), registered=Count("id", filter=Q(registered_on__isnull=False, registered_on__lte=on))
    )
    figures["scans"] = (
        ProductScan.objects.restrict(user, "view").filter(product__area__path__startswith=root.path).count()
    )
    return figures
