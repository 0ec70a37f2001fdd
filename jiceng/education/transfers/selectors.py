"""Scoped reads of transfers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiceng.core.selectors import access_object
from jiceng.education.transfers.models import Transfer

RELATED = ("student__person", "from_school", "from_enrollment__school_class", "to_class__school__area", "to_school")


def access_transfer(user: Any, pk: Any, action: str = "view") -> Transfer:
    queryset = Transfer.objects.select_related(*RELATED)
    return access_object(user, Transfer, {"pk": pk}, action, queryset=queryset)


def list_transfers(user: Any) -> QuerySet[Transfer]:
    return Transfer.objects.restrict(user, "view").select_related(*RELATED)
