"""Reads of party organisations shared by the other party apps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from jiceng.party.models import LEADERSHIP_ROLES, OrgPosition, PartyOrg, PositionRole


def positions_on(*, on: dt.date, org_ids: Iterable[int] | None = None) -> QuerySet[OrgPosition]:
    """Posts held on date ``on``: started on or before it, not ended on or before it."""
    rows = OrgPosition.objects.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    if org_ids is not None:
        rows = rows.filter(org_id__in=list(org_ids))
    return rows


def leadership_person_ids(*, org_ids: Iterable[int] | None = None, on: dt.date) -> set[int]:
    """Ids of the persons holding a secretary, deputy secretary or committee member post on ``on``
    (in the given organisations, or in any)."""
    return set(
        positions_on(on=on, org_ids=org_ids).filter(role__in=LEADERSHIP_ROLES).values_list("person_id", flat=True)
    )


SEGMENT = 13  # a 12-digit division code and the path separator


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal, ``None`` when there is nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage(root: Any, user: Any, *, on: dt.date, restricted: bool = True) -> dict[str, Any]:
    """Party-organisation coverage of the enterprises under Area ``root`` (as ``user`` sees them):
    enterprises with their own organisation (host) or covered by a joint branch, and branch
    secretaries of enterprise-hosted organisations who come from the enterprise's management.
    Totals and one row per child area; each figure is one grouped query. ``restricted=False``
    (the demo summary, jobs) counts every row whatever ``user``."""
    from jiceng.directory.models import Area, Enterprise

    alive = Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)
    own = PartyOrg.objects.filter(alive, host_enterprise=OuterRef("pk"))
    joint = PartyOrg.objects.filter(alive, covered_enterprises=OuterRef("pk"))
    prefix = len(root.path) + SEGMENT
    enterprises = (
        (Enterprise.objects.restrict(user, "view") if restricted else Enterprise.objects.all())
        .filter(area__path__startswith=root.path)
        .annotate(own=Exists(own), joint=Exists(joint), child=Substr("area__path", 1, prefix))
    )
    ent_rows = (
        enterprises.values("child")
        .annotate(
            total=Count("id"),
            own_n=Count("id", filter=Q(own=True)),
            covered=Count("id", filter=Q(own=True) | Q(joint=True)),
        )
        .order_by()
    )
    posts = positions_on(on=on)
    secretaries = (
        (posts.restrict(user, "view") if restricted else posts)
        .filter(role=PositionRole.SECRETARY, org__host_enterprise__isnull=False, org__area__path__startswith=root.path)
        .filter(Q(org__dissolved_on__isnull=True) | Q(org__dissolved_on__gt=on))
        .annotate(child=Substr("org__area__path", 1, prefix))
        .values("child")
        .annotate(total=Count("id"), management=Count("id", filter=Q(from_management=True)))
        .order_by()
    )
    by_child: dict[str, dict[str, int]] = {}
    for row in ent_rows:
        slot = by_child.setdefault(row["child"], {})
        slot.update(enterprises=row["total"], own=row["own_n"], covered=row["covered"])
    for row in secretaries:
        slot = by_child.setdefault(row["child"], {})
        slot.update(secretaries=row["total"], from_management=row["management"])

    def figures(slot: dict[str, int]) -> dict[str, Any]:
        n = {k: slot.get(k, 0) for k in ("enterprises", "own", "covered", "secretaries", "from_management")}
        return {
            **n,
            "joint_only": n["covered"] - n["own"],
            "coverage": share(n["covered"], n["enterprises"]),
            "management_share": share(n["from_management"], n["secretaries"]),
        }

    totals: dict[str, int] = {}
    for slot in by_child.values():
        for key, value in slot.items():
            totals[key] = totals.get(key, 0) + value
    rows = [
        {"area": child, **figures(by_child.get(child.path, {}))}
        for child in Area.objects.filter(parent=root).order_by("code")
    ]
    return {"root": root, "on": on, "totals": figures(totals), "rows": rows}
