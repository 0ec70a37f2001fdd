"""Scoring computations and the points ledger.

- ``compute_total``: per source, the weighted indicator total on a 0–100 scale
  (Σ wᵢ·scoreᵢ/maxᵢ ÷ Σ wᵢ × 100); combined by the set's source weights.
- ``roll_up``: an annual result from period results weighted by kind (e.g. months 30%, quarters 70%).
- ``grade_with_quota``: grade bands, with the top grade capped at ⌊quota × n⌋ and ties at the
  boundary broken by the set's stated rule; an unbreakable tie is flagged, never decided silently.
- Ledger: ``do_record_points``, ``do_reverse_points`` (appeals), ``compute_balance`` = SQL SUM.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Sum

from jiceng.core import audit
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditAction
from jiceng.core.scope import object_area_path
from jiceng.core.scoring.models import Indicator, IndicatorSet, PointsEntry, Score

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def _subject_fields(subject: models.Model) -> dict[str, Any]:
    return {
        "content_type": ContentType.objects.get_for_model(subject),
        "object_id": str(subject.pk),
        "subject_repr": str(subject)[:200],
        "area_path": object_area_path(subject),
    }


# --- scores -----------------------------------------------------------------------------------


def do_record_score(
    indicator: Indicator,
    subject: models.Model,
    *,
    period: str,
    source: str,
    value: Decimal,
    evidence: str = "",
    acting_user: Any = None,
) -> Score:
    """Record (or correct) one indicator score; audited."""
    value = Decimal(value)
    if not Decimal(0) <= value <= indicator.max_score:
        raise InvalidInput(
            f"{indicator.code}: a score lies between 0 and {indicator.max_score}; got {value}.", field="value"
        )
    fields = _subject_fields(subject)
    with transaction.atomic():
        score = Score.objects.filter(
            indicator=indicator,
            content_type=fields["content_type"],
            object_id=fields["object_id"],
            period=period,
            source=source,
        ).first()
        before = audit.snapshot(score) if score else None
        if score is None:
            score = Score(indicator=indicator, period=period, source=source, **fields)
        score.value, score.evidence, score.recorded_by = value, evidence, acting_user
        score.save()
        audit.record(
            AuditAction.UPDATE if before else AuditAction.CREATE,
            score,
            actor=acting_user,
            before=before,
            after=audit.snapshot(score),
        )
    return score


@dataclass
class Total:
    by_source: dict[str, Decimal]
    combined: Decimal | None
    missing_sources: list[str] = field(default_factory=list)


def compute_total(indicator_set: IndicatorSet, subject: models.Model, period: str) -> Total:
    """The subject's weighted total per source (0–100) and combined by the set's source weights."""
    content_type = ContentType.objects.get_for_model(subject)
    rows = Score.objects.filter(
        indicator__indicator_set=indicator_set, content_type=content_type, object_id=str(subject.pk), period=period
    ).values("source", "value", "indicator__weight", "indicator__max_score")
    total_weight = indicator_set.indicators.aggregate(w=Sum("weight"))["w"] or Decimal(0)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        sums[row["source"]] += row["indicator__weight"] * row["value"] / row["indicator__max_score"]
    by_source = (
        {s: (v / total_weight * HUNDRED).quantize(TWO_PLACES, ROUND_HALF_UP) for s, v in sums.items()}
        if total_weight
        else {}
    )
    weights = {s: Decimal(str(w)) for s, w in indicator_set.source_weights.items() if Decimal(str(w))}
    missing = sorted(s for s in weights if s not in by_source)
    combined = None
    if weights and not missing:
        combined = (sum(by_source[s] * w for s, w in weights.items()) / sum(weights.values())).quantize(
            TWO_PLACES, ROUND_HALF_UP
        )
    return Total(by_source=by_source, combined=combined, missing_sources=missing)


def roll_up(results: Mapping[str, Sequence[Decimal]], weights: Mapping[str, Decimal]) -> Decimal:
    """Σ weight(kind) × mean(results of that kind) ÷ Σ weights of the kinds present.

    ``roll_up({"month": [90, 80, …], "quarter": [85, 95]}, {"month": 0.3, "quarter": 0.7})``.
    """
    present = {k: [Decimal(str(v)) for v in values] for k, values in results.items() if values}
    if not present:
        raise InvalidInput("Nothing to roll up.")
    total_weight = sum(Decimal(str(weights[k])) for k in present)
    value = sum(Decimal(str(weights[k])) * sum(v) / len(v) for k, v in present.items()) / total_weight
    return value.quantize(TWO_PLACES, ROUND_HALF_UP)


# --- grades and quotas ------------------------------------------------------------------------


@dataclass
class Candidate:
    key: Any
    score: Decimal
    tie_values: dict[str, Any] = field(default_factory=dict)  # e.g. {"organisation": 92, "submitted_at": …}


@dataclass
class GradeResult:
    grades: dict[Any, str]
    quota: int
    tie_rule: list[str]
    unresolved: list[Any]  # tied at the quota boundary even after every tie-break: needs a decision
    demoted: list[Any]  # reached the top band but fell outside the quota


def quota_count(quota: Decimal, n: int) -> int:
    """⌊quota × n⌋: "at most 20%" of 11 people is 2, never 3."""
    return math.floor(Decimal(quota) * n)


def band_for(score: Decimal, bands: Sequence[Mapping[str, Any]]) -> str:
    for band in sorted(bands, key=lambda b: Decimal(str(b["min"])), reverse=True):
        if score >= Decimal(str(band["min"])):
            return str(band["grade"])
    return str(bands[-1]["grade"]) if bands else ""


def grade_with_quota(
    candidates: Sequence[Candidate],
    *,
    bands: Sequence[Mapping[str, Any]],
    top_grade: str,
    quota: Decimal,
    tie_rule: Sequence[str],
) -> GradeResult:
    """Grade by bands; at most ⌊quota × n⌋ get ``top_grade``.

    Eligible candidates are ordered by score, then by each tie-break key in turn (higher first,
    except ``submitted_at``: earlier first). Those beyond the quota get the next band. When the last
    place inside the quota is tied with the first outside on every key, nobody in that tie gets the top
    grade automatically: they are listed in ``unresolved`` for the organisation to decide.
    """
    bands_below = [b for b in bands if b["grade"] != top_grade]
    # those beyond the quota get the highest band below the top grade
    next_grade = str(max(bands_below, key=lambda b: Decimal(str(b["min"])))["grade"]) if bands_below else ""
    grades = {c.key: band_for(c.score, bands) for c in candidates}
    eligible = [c for c in candidates if grades[c.key] == top_grade]
    limit = quota_count(quota, len(candidates))

    def sort_key(c: Candidate) -> tuple[Any, ...]:
        parts: list[Any] = [-c.score]
        for name in tie_rule:
            value = c.tie_values.get(name)
            if name == "submitted_at":
                parts.append((value is None, value))
            else:
                parts.append(-(Decimal(str(value)) if value is not None else Decimal("-1e9")))
        return tuple(parts)

    ranked = sorted(eligible, key=sort_key)
    unresolved: list[Any] = []
    if len(ranked) > limit:
        boundary = sort_key(ranked[limit])
        tied = [c for c in ranked if sort_key(c) == boundary]
        if limit > 0 and sort_key(ranked[limit - 1]) == boundary:
            unresolved = [c.key for c in tied]
    winners = {c.key for c in ranked[:limit]} - set(unresolved)
    demoted = []
    for c in ranked:
        if c.key not in winners:
            grades[c.key] = next_grade
            demoted.append(c.key)
    return GradeResult(grades=grades, quota=limit, tie_rule=list(tie_rule), unresolved=unresolved, demoted=demoted)


# --- the points ledger ------------------------------------------------------------------------


def do_record_points(
    subject: models.Model,
    *,
    rule_key: str,
    points: Decimal,
    period: str,
    evidence: str = "",
    acting_user: Any = None,
    approved_by: Any = None,
) -> PointsEntry:
    entry = PointsEntry(
        rule_key=rule_key,
        points=Decimal(points),
        period=period,
        evidence=evidence,
        recorded_by=acting_user,
        approved_by=approved_by,
        **_subject_fields(subject),
    )
    with transaction.atomic():
        entry.save()
        audit.record(AuditAction.CREATE, entry, actor=acting_user, after=audit.snapshot(entry))
    return entry


def do_reverse_points(entry: PointsEntry, *, reason: str, acting_user: Any = None) -> PointsEntry:
    """An upheld appeal or a correction: a new entry with the opposite points (once per entry)."""
    if not reason.strip():
        raise InvalidInput("A reversal needs a reason.", field="reason")
    with transaction.atomic():
        locked = PointsEntry.objects.select_for_update(no_key=True).get(pk=entry.pk)
        if locked.reverses_id is not None:
            raise InvalidInput("A reversal cannot itself be reversed; record new points instead.")
        if PointsEntry.objects.filter(reverses=locked).exists():
            raise InvalidInput("This entry has already been reversed.", code="already_reversed")
        reversal = PointsEntry(
            rule_key=locked.rule_key,
            points=-locked.points,
            period=locked.period,
            evidence=locked.evidence,
            recorded_by=acting_user,
            approved_by=acting_user,
            reverses=locked,
            reason=reason,
            content_type=locked.content_type,
            object_id=locked.object_id,
            subject_repr=locked.subject_repr,
            area_path=locked.area_path,
        )
        reversal.save()
        audit.record(AuditAction.CREATE, reversal, actor=acting_user, after=audit.snapshot(reversal), comment=reason)
    return reversal


def compute_balance(subject: models.Model, period: str | None = None) -> Decimal:
    qs = PointsEntry.objects.filter(content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk))
    if period is not None:
        qs = qs.filter(period=period)
    return qs.balance()


def ranking(*, area_path: str, period: str, content_type: ContentType) -> list[dict[str, Any]]:
    """Subjects under ``area_path`` by their balance for ``period`` (one GROUP BY), highest first."""
    return list(
        PointsEntry.objects.filter(area_path__startswith=area_path, period=period, content_type=content_type)
        .values("object_id", "subject_repr")
        .annotate(total=Sum("points"))
        .order_by("-total", "subject_repr")
    )
