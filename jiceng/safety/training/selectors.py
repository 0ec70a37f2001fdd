"""Scoped reads and figures of safety training, spot tests, certificate checks and publicity.

Every figure is set-based: one grouped query per table, over the rows the user may see
(``restrict``), for an Area and its children (drill-down) and, for training, per sector.

Participation (S13) per enterprise: the workers it trained in the period are its *named*
attendees counted once each across its sessions, plus the participants of its sessions without
names; capped at its employees (``SafetyProfile.employees``), since without names a worker who
attended twice cannot be told apart. The rate is that number over the employees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from jiceng.core.alerts.models import Alert
from jiceng.core.errors import InvalidInput
from jiceng.core.scope import user_scope_paths
from jiceng.core.selectors import access_object
from jiceng.directory.models import Area
from jiceng.safety.models import SafetyProfile, SafetySector
from jiceng.safety.training import rules
from jiceng.safety.training.models import (
    Broadcast,
    BroadcastState,
    CertificateCheck,
    CertificateKind,
    CertificateResult,
    Exam,
    PublicityActivity,
    PublicityTarget,
    SpotTest,
    TrainingCampaign,
    TrainingSession,
    rate,
)

SEGMENT = 13  # a 12-digit division code and the separator
Attendance = TrainingSession.attendees.through


# --- the period of a figure -----------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """Rows dated ``start``–``end`` (both inclusive, either open) and of ``campaign`` if given."""

    start: dt.date | None = None
    end: dt.date | None = None
    campaign: TrainingCampaign | None = None

    def apply(self, qs: QuerySet[Any], date_field: str, campaign_field: str = "campaign") -> QuerySet[Any]:
        if self.start is not None:
            qs = qs.filter(**{f"{date_field}__gte": self.start})
        if self.end is not None:
            qs = qs.filter(**{f"{date_field}__lte": self.end})
        if self.campaign is not None:
            qs = qs.filter(**{campaign_field: self.campaign})
        return qs

    def as_params(self) -> dict[str, str]:
        params = {}
        if self.start:
            params["from"] = self.start.isoformat()
        if self.end:
            params["to"] = self.end.isoformat()
        if self.campaign:
            params["campaign"] = str(self.campaign.pk)
        return params


def parse_period(params: Any, user: Any) -> Period:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD&campaign=<id>`` (each optional)."""
    dates: dict[str, dt.date | None] = {}
    for name in ("from", "to"):
        text = (params.get(name) or "").strip()
        try:
            dates[name] = dt.date.fromisoformat(text) if text else None
        except ValueError as exc:
            raise InvalidInput(_("%(name)s is a date: YYYY-MM-DD.") % {"name": name}, field=name) from exc
    campaign = None
    wanted = str(params.get("campaign") or "").strip()
    if wanted:
        if wanted.isdigit():
            campaign = TrainingCampaign.objects.restrict(user, "view").filter(pk=int(wanted)).first()
        if campaign is None:
            raise InvalidInput(_("Unknown campaign."), field="campaign")
    if dates["from"] and dates["to"] and dates["to"] < dates["from"]:
        raise InvalidInput(_("The period ends before it starts."), field="to")
    return Period(start=dates["from"], end=dates["to"], campaign=campaign)


# --- access ---------------------------------------------------------------------------------
def access_profile(user: Any, pk: Any) -> SafetyProfile:
    return access_object(
        user,
        SafetyProfile,
        {"pk": pk},
        "view",
        queryset=SafetyProfile.objects.select_related("enterprise", "area", "sector"),
    )


def _children(root: Area) -> list[Area]:
    return list(Area.objects.filter(parent=root).order_by("code").only("code", "name", "path"))


def _area_rows(root: Area, found: dict[str, dict[str, Any]], empty: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per child of ``root`` (and one for rows in ``root`` itself, if any)."""
    rows = [{"area": child, **found.get(child.path, empty)} for child in _children(root)]
    if root.path in found:
        rows.insert(0, {"area": root, "is_root": True, **found[root.path]})
    return rows


# --- S13: training participation ------------------------------------------------------------
def with_participation(profiles: QuerySet[SafetyProfile], period: Period) -> QuerySet[SafetyProfile]:
    """``profiles`` annotated with ``organised`` (held a session in the period), ``trained`` (workers
    trained: named attendees once each plus unnamed participants, at most the employees)."""
    sessions = period.apply(TrainingSession.objects.filter(enterprise=OuterRef("enterprise")), "held_on")
    named = (
        period.apply(
            Attendance.objects.filter(trainingsession__enterprise=OuterRef("enterprise")),
            "trainingsession__held_on",
            "trainingsession__campaign",
        )
        .order_by()
        .values("trainingsession__enterprise")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    unnamed = (
        sessions.annotate(has_names=Exists(Attendance.objects.filter(trainingsession=OuterRef("pk"))))
        .filter(has_names=False)
        .order_by()
        .values("enterprise")
        .annotate(n=Sum("participants"))
        .values("n")
    )
    return profiles.annotate(
        organised=Exists(sessions),
        raw_trained=Coalesce(Subquery(named, output_field=IntegerField()), Value(0))
        + Coalesce(Subquery(unnamed, output_field=IntegerField()), Value(0)),
    ).annotate(
        trained=Case(
            When(employees__gt=0, raw_trained__gt=F("employees"), then=F("employees")),
            default=F("raw_trained"),
            output_field=IntegerField(),
        )
    )


def _participation_groups(profiles: QuerySet[SafetyProfile], group: str, target: Any) -> list[dict[str, Any]]:
    """Grouped participation figures. The aggregates get names of their own (``n_…``): an alias equal
    to a field name would shadow the field inside the other aggregates' filters."""
    figures: dict[str, Any] = {
        "n_enterprises": Count("id"),
        "n_organising": Count("id", filter=Q(organised=True)),
        "n_employees": Sum("employees"),
        "n_trained": Sum("trained"),
    }
    if target is not None:
        profiles = profiles.annotate(trained100=F("trained") * Value(100))
        figures["n_at_target"] = Count(
            "id", filter=Q(employees__gt=0, trained100__gte=F("employees") * Value(Decimal(target.value)))
        )
    rows = profiles.values(group).annotate(**figures).order_by()
    return [{(k[2:] if k.startswith("n_") else k): v for k, v in row.items()} for row in rows]


def _training_figures(row: dict[str, Any]) -> dict[str, Any]:
    n = {
        k: row.get(k) or 0
        for k in (
            "enterprises",
            "organising",
            "employees",
            "trained",
            "at_target",
            "sessions",
            "attendances",
            "exams",
            "candidates",
            "passed",
        )
    }
    return {
        **n,
        "participation": rate(n["trained"], n["employees"]),
        "pass_rate": rate(n["passed"], n["candidates"]),
    }


def training_figures(user: Any, root: Area, period: Period) -> dict[str, Any]:
    """S13 figures under ``root``: per child area and per sector — enterprises under supervision,
    enterprises organising training, employees, workers trained and the participation rate,
    enterprises at the coverage target, sessions and attendances, exams and their pass rate."""
    prefix = len(root.path) + SEGMENT
    target = rules.coverage_target(root.path, period.end)
    profiles = with_participation(
        SafetyProfile.objects.restrict(user, "view").filter(area__path__startswith=root.path), period
    )
    sessions = period.apply(
        TrainingSession.objects.restrict(user, "view").filter(area__path__startswith=root.path), "held_on"
    )
    exams = period.apply(Exam.objects.restrict(user, "view").filter(area__path__startswith=root.path), "held_on")

    found: dict[str, dict[str, Any]] = {}
    child = Substr("area__path", 1, prefix)
    for row in _participation_groups(profiles.annotate(child=child), "child", target):
        found.setdefault(row["child"], {}).update(row)
    for row in (
        sessions.annotate(child=child)
        .values("child")
        .annotate(sessions=Count("id"), attendances=Sum("participants"))
        .order_by()
    ):
        found.setdefault(row["child"], {}).update(row)
    for row in (
        exams.annotate(child=child)
        .values("child")
        .annotate(exams=Count("id"), candidates=Sum("candidates"), passed=Sum("passed"))
        .order_by()
    ):
        found.setdefault(row["child"], {}).update(row)
    by_area = {path: _training_figures(row) for path, row in found.items()}
    rows = _area_rows(root, by_area, _training_figures({}))

    by_sector: dict[Any, dict[str, Any]] = {}
    for row in _participation_groups(profiles, "sector", target):
        by_sector.setdefault(row["sector"], {}).update(row)
    for row in (
        sessions.values(sector=F("enterprise__safety_profile__sector"))
        .annotate(sessions=Count("id"), attendances=Sum("participants"))
        .order_by()
    ):
        by_sector.setdefault(row["sector"], {}).update(row)
    for row in (
        exams.values(sector=F("enterprise__safety_profile__sector"))
        .annotate(exams=Count("id"), candidates=Sum("candidates"), passed=Sum("passed"))
        .order_by()
    ):
        by_sector.setdefault(row["sector"], {}).update(row)
    sectors = {s.pk: s for s in SafetySector.objects.filter(pk__in=[k for k in by_sector if k is not None])}
    order = {pk: (sector.order, sector.code) for pk, sector in sectors.items()}
    sector_rows = [
        {"sector": sectors.get(key), **_training_figures(by_sector[key])}
        for key in sorted(by_sector, key=lambda k: (k is None, order.get(k, (0, ""))))
    ]
    totals: dict[str, Any] = {}
    for row in found.values():
        for name, value in row.items():
            if name not in ("child", "sector") and isinstance(value, int):
                totals[name] = totals.get(name, 0) + value
    return {
        "root": root,
        "rows": rows,
        "sectors": sector_rows,
        "totals": _training_figures(totals),
        "target": target,
    }


def enterprise_participation(user: Any, profile: SafetyProfile, period: Period) -> dict[str, Any]:
    """One enterprise's figures: workers trained, participation, sessions, exams (the ledger page)."""
    annotated = with_participation(SafetyProfile.objects.restrict(user, "view").filter(pk=profile.pk), period)
    row = annotated.values("trained", "organised", "employees").first() or {"trained": 0, "employees": 0}
    sessions = period.apply(
        TrainingSession.objects.restrict(user, "view").filter(enterprise=profile.enterprise), "held_on"
    )
    exams = period.apply(Exam.objects.restrict(user, "view").filter(enterprise=profile.enterprise), "held_on")
    counted = sessions.aggregate(sessions=Count("id"), attendances=Sum("participants"))
    examined = exams.aggregate(exams=Count("id"), candidates=Sum("candidates"), passed=Sum("passed"))
    target = rules.coverage_target(profile.area.path, period.end)
    figures = _training_figures({**row, **counted, **examined})
    figures["meets_target"] = (
        target is not None and figures["participation"] is not None and figures["participation"] >= target.value
    )
    return {**figures, "target": target}


# --- S14: spot tests and certificate checks -------------------------------------------------
SPOT_FIGURES = {
    "tests": Count("id"),
    "enterprises": Count("enterprise", distinct=True),
    "tested": Sum("tested"),
    "passed": Sum("passed"),
}


def _spot(row: dict[str, Any]) -> dict[str, Any]:
    n = {k: row.get(k) or 0 for k in SPOT_FIGURES}
    return {**n, "pass_rate": rate(n["passed"], n["tested"])}


def spot_test_figures(user: Any, root: Area, period: Period) -> dict[str, Any]:
    """S14 spot tests under ``root``: tests, enterprises tested, employees tested and passed, the
    pass rate — per child area, per campaign, and in total."""
    tests = period.apply(SpotTest.objects.restrict(user, "view").filter(area__path__startswith=root.path), "tested_on")
    prefix = len(root.path) + SEGMENT
    found = {
        row["child"]: _spot(row)
        for row in tests.annotate(child=Substr("area__path", 1, prefix))
        .values("child")
        .annotate(**SPOT_FIGURES)
        .order_by()
    }
    campaigns = [
        {"campaign": row["campaign__name"] or "", "campaign_id": row["campaign"], **_spot(row)}
        for row in tests.values("campaign", "campaign__name").annotate(**SPOT_FIGURES).order_by("campaign__name")
    ]
    return {
        "root": root,
        "rows": _area_rows(root, found, _spot({})),
        "campaigns": campaigns,
        "totals": _spot(tests.aggregate(**SPOT_FIGURES)),
    }


RESULT_FIGURES = {
    "checks": Count("id"),
    **{result.value: Count("id", filter=Q(result=result)) for result in CertificateResult},
}


def certificate_figures(user: Any, root: Area, period: Period) -> dict[str, Any]:
    """S14 certificate checks under ``root``: checks and their results per child area and per kind."""
    checks = period.apply(
        CertificateCheck.objects.restrict(user, "view").filter(area__path__startswith=root.path), "checked_on"
    )
    prefix = len(root.path) + SEGMENT
    empty = dict.fromkeys(RESULT_FIGURES, 0)
    found = {
        row["child"]: {name: row[name] for name in RESULT_FIGURES}
        for row in checks.annotate(child=Substr("area__path", 1, prefix))
        .values("child")
        .annotate(**RESULT_FIGURES)
        .order_by()
    }
    kinds = {row["kind"]: row for row in checks.values("kind").annotate(**RESULT_FIGURES).order_by()}
    return {
        "root": root,
        "rows": _area_rows(root, found, empty),
        "kinds": [
            {"kind": kind, "label": kind.label, **{n: kinds.get(kind.value, {}).get(n, 0) for n in RESULT_FIGURES}}
            for kind in CertificateKind
        ],
        "totals": {**empty, **checks.aggregate(**RESULT_FIGURES)},
        "results": [(r.value, r.label) for r in CertificateResult],
    }


# --- S15: publicity and broadcasts ----------------------------------------------------------
def publicity_figures(user: Any, root: Area, period: Period) -> dict[str, Any]:
    """S15 "五进": activities and participants per target, per child area and in total."""
    activities = period.apply(
        PublicityActivity.objects.restrict(user, "view").filter(area__path__startswith=root.path), "held_on"
    )
    prefix = len(root.path) + SEGMENT
    grouped = (
        activities.annotate(child=Substr("area__path", 1, prefix))
        .values("child", "target")
        .annotate(activities=Count("id"), participants=Sum("participants"))
        .order_by()
    )
    found: dict[str, dict[str, Any]] = {}
    totals = {t.value: {"activities": 0, "participants": 0} for t in PublicityTarget}
    for row in grouped:
        slot = found.setdefault(row["child"], {t.value: {"activities": 0, "participants": 0} for t in PublicityTarget})
        slot[row["target"]] = {"activities": row["activities"], "participants": row["participants"] or 0}
        totals[row["target"]]["activities"] += row["activities"]
        totals[row["target"]]["participants"] += row["participants"] or 0
    empty = {t.value: {"activities": 0, "participants": 0} for t in PublicityTarget}

    def with_sum(cells: dict[str, Any]) -> dict[str, Any]:
        return {
            "cells": [cells[t.value] for t in PublicityTarget],
            "activities": sum(c["activities"] for c in cells.values()),
            "participants": sum(c["participants"] for c in cells.values()),
        }

    rows = [
        {
            "area": r["area"],
            "is_root": r.get("is_root", False),
            **with_sum({t.value: r[t.value] for t in PublicityTarget}),
        }
        for r in _area_rows(root, found, empty)
    ]
    return {
        "root": root,
        "targets": [(t.value, t.label) for t in PublicityTarget],
        "rows": rows,
        "totals": with_sum(totals),
        "by_target": [{"target": t.value, "label": t.label, **totals[t.value]} for t in PublicityTarget],
    }


def live_broadcasts(user: Any, root: Area) -> QuerySet[Broadcast]:
    """The broadcasts now live for ``root`` or an Area inside it, most severe first."""
    return (
        Broadcast.objects.restrict(user, "view")
        .filter(state=BroadcastState.LIVE, area__path__startswith=root.path)
        .select_related("area", "ad")
        .order_by("-starts_at")
    )


# --- pages ----------------------------------------------------------------------------------
ID_NUMBER_PERMISSION = "directory.view_id_number"


def may_see_id_numbers(user: Any, obj: Any) -> bool:
    """Full resident ID numbers need ``directory.view_id_number`` over the row's Area."""
    path = obj.area.path
    return any(path.startswith(p) for p in user_scope_paths(user, ID_NUMBER_PERMISSION))


def ledger_url(user: Any, enterprise: Any) -> str:
    """The enterprise's training-ledger page, if the user may see its safety profile ("" otherwise)."""
    pk = SafetyProfile.objects.restrict(user, "view").filter(enterprise=enterprise).values_list("pk", flat=True).first()
    return reverse("safety_training:ledger", args=[pk]) if pk else ""


def enterprise_ledger(user: Any, profile: SafetyProfile, period: Period) -> dict[str, Any]:
    """The rows of one enterprise's ledger, newest first."""
    enterprise = profile.enterprise
    return {
        "sessions": period.apply(
            TrainingSession.objects.restrict(user, "view").filter(enterprise=enterprise), "held_on"
        ).select_related("campaign"),
        "exams": period.apply(Exam.objects.restrict(user, "view").filter(enterprise=enterprise), "held_on"),
        "spot_tests": period.apply(SpotTest.objects.restrict(user, "view").filter(enterprise=enterprise), "tested_on"),
        "certificate_checks": period.apply(
            CertificateCheck.objects.restrict(user, "view").filter(enterprise=enterprise), "checked_on"
        ),
    }


def alerts_about(user: Any, obj: Any) -> QuerySet[Any]:
    """The alerts (open and closed) whose subject is ``obj``, as the user may see them."""
    return Alert.objects.restrict(user, "view").filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
