"""Class sizes and the class-size cap (E07): what every education app asks about a class.

The cap is the policy ``education.class_size_cap`` in force for the school's area on the day asked
(the demo district's is 55, seed 003; the national row 55 follows the 56+ 大班额 band). A class is over
the cap when its open enrollments exceed it; a grade is over the cap when any of its classes is (seed
003: 「凡是存在大班额的年级、班级，无论任何时候，都不允许招收插班生」).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy

CAP = "education.class_size_cap"
LARGE_MIN = "education.class_size.large_min"  # 56–65 大班额 (national band)
SUPER_LARGE_MIN = "education.class_size.super_large_min"  # ≥66 超大班额
OPEN = Q(enrollments__ended_on__isnull=True)


def cap_policy(school: Any, on: dt.date) -> PolicyValue:
    """The class-size cap in force on ``on`` for ``school``'s area."""
    return get_policy(CAP, area_path=school.area.path, on=on)


def class_size(school_class: Any) -> int:
    """The number of students registered in the class now (its open enrollments)."""
    return int(school_class.enrollments.filter(ended_on__isnull=True).count())


def with_sizes(classes: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate ``size`` (open enrollments) on a queryset of classes, in one query."""
    return classes.annotate(size=Count("enrollments", filter=OPEN))


def grade_sizes(school: Any, year: int, grade: int) -> list[tuple[Any, int]]:
    """``(class, size)`` for every class of one grade of one school year, by class number."""
    rows = with_sizes(school.classes.filter(year=year, grade=grade)).order_by("number")
    return [(row, row.size) for row in rows]


def band(size: int, *, area_path: str, on: dt.date) -> str:
    """The national band of a size: "" (within), "large" (56–65) or "super_large" (≥66)."""
    if size >= get_policy(SUPER_LARGE_MIN, area_path=area_path, on=on).value:
        return "super_large"
    if size >= get_policy(LARGE_MIN, area_path=area_path, on=on).value:
        return "large"
    return ""


def band_limits(area_path: str, on: dt.date) -> dict[str, int | None]:
    """The first size of the large and super-large bands (``None`` where not in force)."""
    found: dict[str, int | None] = {}
    for name, key in (("large", LARGE_MIN), ("super_large", SUPER_LARGE_MIN)):
        try:
            found[name] = int(get_policy(key, area_path=area_path, on=on).value)
        except PolicyMissing:
            found[name] = None
    return found


def area_cap_policy(area: Any, on: dt.date) -> PolicyValue | None:
    """The cap in force for an area itself (``None`` where none is)."""
    try:
        return get_policy(CAP, area_path=area.path, on=on)
    except PolicyMissing:
        return None


class CapResolver:
    """The cap of many schools' classes on one day, looked up once per school area (one request, one
    page of classes): ``caps = CapResolver(on); caps.cap(school)``. Where no cap is in force (an area
    without the policy), ``policy``/``cap`` are ``None`` and no class counts as over it."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self._by_path: dict[str, PolicyValue | None] = {}

    def policy(self, school: Any) -> PolicyValue | None:
        path = school.area.path
        if path not in self._by_path:
            try:
                self._by_path[path] = get_policy(CAP, area_path=path, on=self.on)
            except PolicyMissing:
                self._by_path[path] = None
        return self._by_path[path]

    def cap(self, school: Any) -> int | None:
        found = self.policy(school)
        return None if found is None else int(found.value)

    def is_over(self, school: Any, size: int) -> bool:
        cap = self.cap(school)
        return cap is not None and size > cap

    def band(self, school: Any, size: int) -> str:
        try:
            return band(size, area_path=school.area.path, on=self.on)
        except PolicyMissing:
            return ""
