"""Scoped reads of the supervision registry: profiles, the resident supervision roster and the bureau's figures.

Figures are set-based (one GROUP BY per table); every function takes the rows the caller may see
(``restrict``) and an area path inside them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from jiceng.core.selectors import access_object
from jiceng.safety.models import (
    GuidanceLog,
    Installation,
    InstallationKind,
    ResidentSupervision,
    SafetyGrade,
    SafetyProfile,
    SafetySector,
)


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal (``None`` for an empty whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def access_profile(user: Any, pk: Any, action: str = "view") -> SafetyProfile:
    return access_object(user, SafetyProfile, {"pk": pk}, action)


def current_resident_supervisions(on: dt.date) -> QuerySet[ResidentSupervision]:
    return ResidentSupervision.objects.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


def resident_supervision_coverage(user: Any, root_path: str, *, on: dt.date) -> dict[str, Any]:
    """Per sector: key enterprises with a profile, how many have a supervisor stationed on ``on``,
    the supervisors, and the counters of their guidance logs (rules improved, trainings held)."""
    profiles = SafetyProfile.objects.restrict(user, "view").filter(
        area__path__startswith=root_path, enterprise__is_key=True
    )
    stationed = current_resident_supervisions(on).filter(enterprise=OuterRef("enterprise"))
    by_sector = {
        row["sector"]: row
        for row in profiles.annotate(is_stationed=Exists(stationed))
        .values("sector")
        .annotate(key=Count("id"), stationed=Count("id", filter=Q(is_stationed=True)))
    }
    supervisions = current_resident_supervisions(on).restrict(user, "view").filter(area__path__startswith=root_path)
    supervisors = {
        row["sector"]: row["n"] for row in supervisions.values("sector").annotate(n=Count("supervisor", distinct=True))
    }
    logs = GuidanceLog.objects.restrict(user, "view").filter(supervision__area__path__startswith=root_path)
    counters = {
        row["supervision__sector"]: row
        for row in logs.values("supervision__sector").annotate(
            rules=Sum("rules_improved"), trainings=Sum("trainings_held"), visits=Count("id")
        )
    }
    rows = []
    for sector in SafetySector.objects.all():
        base = by_sector.get(sector.pk, {"key": 0, "stationed": 0})
        logged = counters.get(sector.pk, {})
        rows.append(
            {
                "sector": sector,
                "key": base["key"],
                "stationed": base["stationed"],
                "coverage": rate(base["stationed"], base["key"]),
                "supervisors": supervisors.get(sector.pk, 0),
                "visits": logged.get("visits") or 0,
                "rules_improved": logged.get("rules") or 0,
                "trainings_held": logged.get("trainings") or 0,
            }
        )
    unsectored = by_sector.get(None)
    totals = {
        name: sum(r[name] for r in rows) + (unsectored or {}).get(name, 0)
        for name in ("key", "stationed", "visits", "rules_improved", "trainings_held")
    }
    totals["supervisors"] = supervisions.values("supervisor").distinct().count()
    totals["coverage"] = rate(totals["stationed"], totals["key"])
    return {"rows": rows, "totals": totals, "unsectored": unsectored}


def grade_counts(user: Any, root_path: str, *, on: dt.date) -> dict[str, Any]:
    """Enterprises per standardisation grade: current (not lapsed on ``on``) and lapsed."""
    profiles = SafetyProfile.objects.restrict(user, "view").filter(area__path__startswith=root_path)
    rows = (
        profiles.exclude(safety_grade="")
        .values("safety_grade")
        .annotate(
            current=Count("id", filter=Q(grade_expires_on__gt=on)),
            lapsed=Count("id", filter=Q(grade_expires_on__lte=on)),
        )
    )
    found = {row["safety_grade"]: row for row in rows}
    return {
        "rows": [
            {
                "grade": grade,
                "label": grade.label,
                "current": found.get(grade.value, {}).get("current", 0),
                "lapsed": found.get(grade.value, {}).get("lapsed", 0),
            }
            for grade in SafetyGrade
            if grade.value
        ]
    }


def retrofit_progress(user: Any, root_path: str) -> dict[str, Any]:
    """The S07 trackers: installations the retrofit covers (and their enterprises) done / required;
    informatisation of enterprises' installations and of filling stations."""
    rows = Installation.objects.restrict(user, "view").filter(area__path__startswith=root_path)
    retrofit = rows.filter(retrofit_required=True).aggregate(
        installations=Count("id"),
        done=Count("id", filter=Q(retrofit_done_on__isnull=False)),
        enterprises=Count("enterprise", distinct=True),
    )
    retrofit["enterprises_done"] = (
        rows.filter(retrofit_required=True)
        .values("enterprise")
        .annotate(open=Count("id", filter=Q(retrofit_done_on__isnull=True)))
        .filter(open=0)
        .count()
    )
    stations = rows.filter(kind=InstallationKind.GAS_STATION).aggregate(
        total=Count("id"), done=Count("id", filter=Q(informatised_on__isnull=False))
    )
    others = rows.exclude(kind=InstallationKind.GAS_STATION)
    enterprises = others.values("enterprise").annotate(open=Count("id", filter=Q(informatised_on__isnull=True)))
    informatised = {"enterprises": enterprises.count(), "enterprises_done": enterprises.filter(open=0).count()}
    return {
        "retrofit": {**retrofit, "rate": rate(retrofit["done"], retrofit["installations"])},
        "stations": {**stations, "rate": rate(stations["done"], stations["total"])},
        "informatised": {
            **informatised,
            "rate": rate(informatised["enterprises_done"], informatised["enterprises"]),
        },
    }


def chemical_role_counts(user: Any, root_path: str) -> dict[str, int]:
    profiles = SafetyProfile.objects.restrict(user, "view").filter(area__path__startswith=root_path)
    return dict(profiles.exclude(chemical_role="").values_list("chemical_role").annotate(n=Count("id")))
