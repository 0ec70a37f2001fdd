"""Writes to the directory. Areas need care: moving or merging one rewrites its subtree's paths."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput
from jiceng.directory.models import Area, Person


def _rewrite_descendant_paths(old_path: str, new_path: str) -> int:
    """Replace the ``old_path`` prefix by ``new_path`` on every strict descendant (one UPDATE)."""
    if old_path == new_path:
        return 0
    return (
        Area.objects.filter(path__startswith=old_path)
        .exclude(path=new_path)
        .update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)),
            depth=F("depth") + (new_path.count("/") - old_path.count("/")),
        )
    )


def do_create_area(*, data: Mapping[str, Any], acting_user: Any) -> Area:
    return services.do_create(Area, data=data, acting_user=acting_user)


def do_update_area(area: Area, *, data: Mapping[str, Any], acting_user: Any) -> Area:
    """Update an area; a new parent moves its whole subtree (paths rewritten in the same transaction)."""
    with transaction.atomic():
        old_path = Area.objects.select_for_update(no_key=True).values_list("path", flat=True).get(pk=area.pk)
        updated = services.do_update(area, data=data, acting_user=acting_user)
        _rewrite_descendant_paths(old_path, updated.path)
    return updated


def do_merge_areas(merged: list[Area], *, into: Area, on: dt.date, acting_user: Any) -> Area:
    """Merge areas (e.g. townships) into ``into`` from date ``on``.

    The merged areas stay in the tree with ``valid_until=on`` and ``successor=into`` so that
    history keeps its names; their children move under ``into``.
    """
    with transaction.atomic():
        for area in merged:
            if area.pk == into.pk:
                raise InvalidInput(_("An area cannot be merged into itself."), field="into")
            if area.level != into.level:
                raise InvalidInput(_("Only areas of the same level can be merged."), field="into")
            for child in Area.objects.filter(parent=area).order_by("path"):
                do_update_area(child, data={"parent": into}, acting_user=acting_user)
            services.do_update(
                area,
                data={"valid_until": on, "successor": into},
                acting_user=acting_user,
                comment=f"merged into {into.code}",
            )
    return into


def do_create_person(*, data: Mapping[str, Any], acting_user: Any) -> Person:
    """Register one person; sex and birth date are derived from the resident ID."""
    return services.do_create(Person, data=data, acting_user=acting_user)
