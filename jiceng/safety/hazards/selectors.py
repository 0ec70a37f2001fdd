"""Scoped reads of the hazard ledger and the 清零 figures.

Every figure is set-based: one aggregate or one GROUP BY over rows the caller may see
(``restrict``), never a Python loop over rows. "Overdue" is a SQL condition (``overdue_q``): being
rectified past the deadline, or submitted after it. An enterprise is *cleared to zero* in a campaign
when none of its major hazards in that campaign is open. The three S03 rates:

- online-entry rate: hazards entered within ``safety.hazards.online_entry_workdays`` of being found
  (``Hazard.entered_on_time``) / hazards found;
- inspection coverage: targeted enterprises with an enforcement or supervision inspection in the
  campaign / targeted enterprises;
- self-check rate: targeted enterprises whose every checklist run of the campaign is complete /
  targeted enterprises that have a checklist run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from jiceng.core.selectors import access_object
from jiceng.directory.models import Area
from jiceng.safety.hazards.choices import HazardSeverity, HazardStatus, InspectionKind
from jiceng.safety.hazards.models import CampaignTarget, Hazard, Inspection, SafetyCampaign

SEGMENT = 13  # a 12-digit division code and its separator in an area path


def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal (``None`` for an empty whole)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def access_hazard(user: Any, pk: Any, action: str = "view") -> Hazard:
    return access_object(
        user, Hazard, {"pk": pk}, action, queryset=Hazard.objects.select_related("enterprise", "area", "campaign")
    )


def overdue_q(on: dt.date) -> Q:
    """Rows past their deadline on ``on`` and not rectified in time."""
    return Q(status=HazardStatus.RECTIFYING, due_on__lt=on) | Q(
        status=HazardStatus.SUBMITTED, due_on__lt=on, submitted_on__gt=F("due_on")
    )


def open_q() -> Q:
    return ~Q(status=HazardStatus.CLOSED)


def hazard_aggregates(on: dt.date) -> dict[str, Any]:
    """The ledger's counts as aggregate expressions (one pass over the rows)."""
    major = Q(severity=HazardSeverity.MAJOR)
    return {
        "found": Count("id"),
        "closed": Count("id", filter=Q(status=HazardStatus.CLOSED)),
        "open": Count("id", filter=open_q()),
        "overdue": Count("id", filter=overdue_q(on)),
        "major": Count("id", filter=major),
        "major_open": Count("id", filter=major & open_q()),
        "listed": Count("id", filter=open_q() & Q(listed_on__isnull=False, delisted_on__isnull=True)),
        "on_time": Count("id", filter=Q(entered_on_time=True)),
    }


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    row["rectified_rate"] = rate(row["closed"], row["found"])
    row["online_entry_rate"] = rate(row["on_time"], row["found"])
    row["zeroed"] = row["major_open"] == 0
    return row


def visible_hazards(user: Any, root_path: str = "") -> QuerySet[Hazard]:
    qs = Hazard.objects.restrict(user, "view")
    return qs.filter(area__path__startswith=root_path) if root_path else qs


def hazard_totals(queryset: QuerySet[Hazard], *, on: dt.date) -> dict[str, Any]:
    return _with_rates(queryset.aggregate(**hazard_aggregates(on)))


def _child_names(root: Any) -> dict[str, tuple[str, str]]:
    return {a.path: (a.code, a.name) for a in Area.objects.filter(parent=root).only("code", "name", "path")}


def hazards_by_child(queryset: QuerySet[Hazard], root: Any, *, on: dt.date) -> list[dict[str, Any]]:
    """Per child area of ``root`` (one GROUP BY on the path prefix), children without hazards too."""
    prefix = len(root.path) + SEGMENT
    rows = {
        row["child"]: _with_rates(row)
        for row in queryset.filter(area__path__startswith=root.path)
        .annotate(child=Substr("area__path", 1, prefix))
        .values("child")
        .annotate(**hazard_aggregates(on))
        .order_by("child")
    }
    empty = dict.fromkeys(hazard_aggregates(on), 0)
    result = []
    for path, (code, name) in sorted(_child_names(root).items()):
        row = rows.pop(path, None) or _with_rates({**empty, "child": path})
        result.append({**row, "code": code, "name": name})
    for row in rows.values():  # rows of the root area itself (an enterprise registered at that level)
        result.append({**row, "code": root.code, "name": root.name})
    return result


def hazards_by_sector(queryset: QuerySet[Hazard], *, on: dt.date) -> list[dict[str, Any]]:
    rows = (
        queryset.values(sector=F("enterprise__safety_profile__sector__name"))
        .annotate(**hazard_aggregates(on))
        .order_by("sector")
    )
    return [_with_rates(dict(row)) for row in rows]


def hazards_by_campaign(queryset: QuerySet[Hazard], *, on: dt.date) -> list[dict[str, Any]]:
    rows = (
        queryset.values("campaign", campaign_name=F("campaign__name"))
        .annotate(**hazard_aggregates(on))
        .order_by("-found")
    )
    return [_with_rates(dict(row)) for row in rows]


def hazards_by_enterprise(queryset: QuerySet[Hazard], *, on: dt.date, limit: int = 20) -> list[dict[str, Any]]:
    """The enterprises with the most open hazards (and whether each is cleared to zero)."""
    rows = (
        queryset.values("enterprise", enterprise_name=F("enterprise__name"))
        .annotate(**hazard_aggregates(on))
        .filter(open__gt=0)
        .order_by("-major_open", "-open", "enterprise_name")[:limit]
    )
    return [_with_rates(dict(row)) for row in rows]


# --- campaigns ----------------------------------------------------------------------------------
def campaign_targets(user: Any, campaign: SafetyCampaign, root_path: str = "") -> QuerySet[CampaignTarget]:
    qs = CampaignTarget.objects.restrict(user, "view").filter(campaign=campaign)
    return qs.filter(area__path__startswith=root_path) if root_path else qs


def target_flags(campaign: SafetyCampaign) -> dict[str, Any]:
    """Per target row, facts about its enterprise in the campaign (correlated EXISTS subqueries)."""
    enterprise = OuterRef("enterprise")
    in_campaign = CampaignTarget.objects.filter(campaign=campaign, enterprise=enterprise, run__isnull=False)
    return {
        "has_open_major": Exists(
            Hazard.objects.filter(campaign=campaign, enterprise=enterprise, severity=HazardSeverity.MAJOR).exclude(
                status=HazardStatus.CLOSED
            )
        ),
        "is_inspected": Exists(
            Inspection.objects.filter(campaign=campaign, enterprise=enterprise).exclude(kind=InspectionKind.SELF_CHECK)
        ),
        "has_run": Exists(in_campaign),
        "has_open_run": Exists(in_campaign.filter(run__completed_at__isnull=True)),
    }


def target_aggregates() -> dict[str, Any]:
    return {
        "targets": Count("enterprise", distinct=True),
        "zeroed": Count("enterprise", distinct=True, filter=Q(has_open_major=False)),
        "inspected": Count("enterprise", distinct=True, filter=Q(is_inspected=True)),
        "with_run": Count("enterprise", distinct=True, filter=Q(has_run=True)),
        "self_checked": Count("enterprise", distinct=True, filter=Q(has_run=True, has_open_run=False)),
    }


def _target_rates(row: dict[str, Any]) -> dict[str, Any]:
    row["zeroing_rate"] = rate(row["zeroed"], row["targets"])
    row["coverage_rate"] = rate(row["inspected"], row["targets"])
    row["self_check_rate"] = rate(row["self_checked"], row["with_run"])
    return row


def campaign_figures(user: Any, campaign: SafetyCampaign, root: Any, *, on: dt.date) -> dict[str, Any]:
    """清零 progress of one campaign in ``root``'s subtree: targets, cleared to zero, the three rates,
    the hazards found and rectified — in total, per child area, per target group and per sector."""
    targets = campaign_targets(user, campaign, root.path).annotate(**target_flags(campaign))
    totals = _target_rates(targets.aggregate(**target_aggregates()))
    hazards = visible_hazards(user, root.path).filter(campaign=campaign)
    hazard_total = hazard_totals(hazards, on=on)
    totals["online_entry_rate"] = hazard_total["online_entry_rate"]
    prefix = len(root.path) + SEGMENT
    by_child = {
        row["child"]: _target_rates(row)
        for row in targets.annotate(child=Substr("area__path", 1, prefix))
        .values("child")
        .annotate(**target_aggregates())
        .order_by("child")
    }
    hazard_rows = {row["child"]: row for row in hazards_by_child(hazards, root, on=on)}
    areas = []
    for path, (code, name) in sorted(_child_names(root).items()):
        row = by_child.get(path)
        found = hazard_rows.get(path)
        if row is None and (found is None or not found["found"]):
            continue
        areas.append({"code": code, "name": name, "targets": row, "hazards": found})
    groups = [
        _target_rates(dict(row))
        for row in targets.values("group", group_name=F("group__name"), template_name=F("group__template__name"))
        .annotate(**target_aggregates())
        .order_by("group")
    ]
    sectors = [
        _target_rates(dict(row))
        for row in targets.values(sector=F("enterprise__safety_profile__sector__name"))
        .annotate(**target_aggregates())
        .order_by("sector")
    ]
    inspections = Inspection.objects.restrict(user, "view").filter(campaign=campaign, area__path__startswith=root.path)
    by_round = list(
        inspections.values("round")
        .annotate(n=Count("id"), enterprises=Count("enterprise", distinct=True))
        .order_by("round")
    )
    return {
        "totals": totals,
        "hazards": hazard_total,
        "areas": areas,
        "groups": groups,
        "sectors": sectors,
        "inspections": inspections.count(),
        "by_round": by_round,
    }


def not_zeroed(user: Any, campaign: SafetyCampaign, root_path: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Targeted enterprises with an open major hazard in the campaign (most open first)."""
    rows = (
        visible_hazards(user, root_path)
        .filter(campaign=campaign, severity=HazardSeverity.MAJOR)
        .filter(open_q())
        .values("enterprise", enterprise_name=F("enterprise__name"), area_name=F("area__name"))
        .annotate(open=Count("id"))
        .order_by("-open", "enterprise_name")[:limit]
    )
    return list(rows)
