"""Reads of party organisations shared by the other party apps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from jiceng.party.models import LEADERSHIP_ROLES, OrgPosition


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
