"""Points (笑脸积分): recording by rule, appeals, grades and faces; star ratings with quotas."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.policies.services import get_policy
from jiceng.core.scope import permission_name, user_can, user_scope_paths
from jiceng.core.scoring.models import PointsEntry
from jiceng.core.scoring.services import do_record_points, do_reverse_points
from jiceng.core.workflow import Reason, policy_reason
from jiceng.party.members.models import PartyMember
from jiceng.party.members.services import GuardFailed
from jiceng.party.models import PartyOrg
from jiceng.party.points.models import AppealStatus, MemberPointsEntry, PointsAppeal, PointsRule, Recorder, StarRating

CRITERIA_FILE = Path(__file__).resolve().parent / "seed" / "star_criteria.json"
GRADES = [("excellent", "smile"), ("qualified", "neutral"), ("unqualified", "frown")]
TOWNSHIP_DEPTH = 4  # province / city / county / township: a path of four codes


def member_entries(member: PartyMember | None = None) -> QuerySet[MemberPointsEntry]:
    rows = MemberPointsEntry.objects.filter(content_type=ContentType.objects.get_for_model(PartyMember))
    return rows.filter(object_id=str(member.pk)) if member is not None else rows


def rule_for(member: PartyMember, code: str) -> PointsRule:
    """The most specific active rule with this code for the member's area."""
    rules = [
        r
        for r in PointsRule.objects.filter(code=code, active=True).select_related("area")
        if member.area.path.startswith(r.area.path)
    ]
    if not rules:
        raise InvalidInput(
            _("No points rule “%(code)s” applies in %(area)s.") % {"code": code, "area": member.area}, field="rule"
        )
    return max(rules, key=lambda r: len(r.area.path))


def _township_level_user(user: Any, member: PartyMember) -> bool:
    paths = user_scope_paths(user, permission_name(MemberPointsEntry, "add"))
    return any(member.area.path.startswith(p) and p.count("/") <= TOWNSHIP_DEPTH for p in paths)


def do_record(member: PartyMember, *, code: str, period: str, evidence: str = "", acting_user: Any) -> PointsEntry:
    """Record points on ``member`` under rule ``code`` for ``period`` (a year, ``2026``)."""
    if not user_can(acting_user, member, "view") or not user_scope_paths(
        acting_user, permission_name(MemberPointsEntry, "add")
    ):
        raise PermissionRefused(_("You do not have permission to do this."))
    if not user_can(acting_user, member, "change") and not _township_level_user(acting_user, member):
        raise PermissionRefused(_("You do not have permission to do this."))
    if not (period.isdigit() and len(period) == 4):
        raise InvalidInput(_("The period is a year, e.g. 2026."), field="period")
    rule = rule_for(member, code)
    reasons = []
    if rule.evidence_required and not evidence.strip():
        reasons.append(
            Reason(
                message=_("Rule %(rule)s needs evidence (a photo, a record or a document reference).") % {"rule": rule},
                policy_key=f"points:{rule.code}",
            )
        )
    if rule.recorder == Recorder.TOWNSHIP and not _township_level_user(acting_user, member):
        reasons.append(
            Reason(
                message=_("Rule %(rule)s is recorded by the township party committee, not by the branch.")
                % {"rule": rule},
                policy_key=f"points:{rule.code}",
            )
        )
    if member.stage not in ("probationary", "full"):
        reasons.append(Reason(message=_("Points are kept for members (probationary and full).")))
    if reasons:
        raise GuardFailed(reasons, transition="points")
    return do_record_points(
        member, rule_key=rule.code, points=rule.points, period=period, evidence=evidence, acting_user=acting_user
    )


def balance(member: PartyMember, year: int) -> Decimal:
    base = get_policy("party.points.base_points", area_path=member.area.path, on=dt.date(year, 12, 31)).value
    recorded = member_entries(member).filter(period=str(year)).aggregate(total=Sum("points"))["total"] or Decimal(0)
    return Decimal(base) + recorded


def grade(member: PartyMember, year: int) -> dict[str, Any]:
    """``{"points", "grade", "face", "rule"}``: the year's points against the policy cut-offs."""
    on = dt.date(year, 12, 31)
    points = balance(member, year)
    excellent = get_policy("party.points.excellent_min", area_path=member.area.path, on=on)
    qualified = get_policy("party.points.qualified_min", area_path=member.area.path, on=on)
    index = 0 if points >= excellent.value else 1 if points >= qualified.value else 2
    name, face = GRADES[index]
    return {
        "points": points,
        "grade": name,
        "face": face,
        "rule": _("excellent from %(excellent)s, qualified from %(qualified)s (%(source)s, %(status)s)")
        % {
            "excellent": excellent.value,
            "qualified": qualified.value,
            "source": excellent.cite(),
            "status": excellent.source_status,
        },
    }


def branch_ranking(org: PartyOrg, year: int) -> list[dict[str, Any]]:
    """The branch's members by points for ``year``, with grade and face, best first."""
    from jiceng.party.members.selectors import members_of

    members = list(members_of(org, on=dt.date(year, 12, 31)).select_related("person", "area"))
    rows = [{"member": member, **grade(member, year)} for member in members]
    rows.sort(key=lambda r: (-r["points"], r["member"].person.name))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def do_file_appeal(entry: PointsEntry, *, reason: str, acting_user: Any) -> PointsAppeal:
    member = PartyMember.objects.get(pk=int(entry.object_id))
    if entry.reverses_id is not None or PointsEntry.objects.filter(reverses=entry).exists():
        raise InvalidInput(_("This entry has already been corrected."), field="entry")
    if not reason.strip():
        raise InvalidInput(_("An appeal needs its reason."), field="reason")
    return services.do_create(
        PointsAppeal,
        data={"entry": entry, "member": member, "filed_on": timezone.localdate(), "reason": reason},
        acting_user=acting_user,
    )


def do_decide_appeal(appeal: PointsAppeal, *, uphold: bool, decision: str, acting_user: Any) -> PointsAppeal:
    if appeal.status != AppealStatus.OPEN:
        raise InvalidInput(_("This appeal has been decided."), field="status")
    if not decision.strip():
        raise InvalidInput(_("A decision needs its reasons."), field="decision")
    with transaction.atomic():
        if uphold:
            do_reverse_points(appeal.entry, reason=decision, acting_user=acting_user)
        return services.do_update(
            appeal,
            data={
                "status": AppealStatus.UPHELD if uphold else AppealStatus.REJECTED,
                "decided_on": timezone.localdate(),
                "decision": decision,
                "decided_by": acting_user,
            },
            acting_user=acting_user,
        )


# --- star ratings ---------------------------------------------------------------------------
STAR_LEVELS = [(5, "five"), (4, "four"), (3, "three"), (2, "two")]


def criteria() -> list[dict[str, Any]]:
    return list(json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))["criteria"])


def band_stars(total: Decimal, area_path: str, on: dt.date) -> int:
    for stars, name in STAR_LEVELS:
        if total >= get_policy(f"party.star.{name}_min", area_path=area_path, on=on).value:
            return stars
    return 1


def do_rate(
    org: PartyOrg,
    *,
    year: int,
    scores: dict[str, Any],
    evidence: dict[str, str],
    acting_user: Any,
    on: dt.date | None = None,
) -> StarRating:
    """Record a branch's scores for ``year``; allowed in the first quarter of the next year (policy)."""
    on = on or timezone.localdate()
    last_month = get_policy("party.star.rating_last_month", area_path=org.area.path, on=on)
    if not (on.year == year + 1 and on.month <= last_month.value):
        raise GuardFailed(
            [
                policy_reason(
                    last_month,
                    _("Ratings for %(year)s are made from January to month %(value)s of %(next)s; today is %(on)s"),
                    year=year,
                    next=year + 1,
                    on=on.isoformat(),
                )
            ],
            transition="rate",
        )
    sheet = {c["code"]: c for c in criteria()}
    clean: dict[str, str] = {}
    for code, raw in scores.items():
        if code not in sheet:
            raise InvalidInput(_("Unknown criterion “%(code)s”.") % {"code": code}, field="scores")
        value = Decimal(str(raw))
        if not Decimal(0) <= value <= Decimal(sheet[code]["max"]):
            raise InvalidInput(
                _("%(name)s: 0 to %(max)s points; got %(value)s.")
                % {"name": sheet[code]["name"], "max": sheet[code]["max"], "value": value},
                field="scores",
            )
        if value and not str(evidence.get(code, "")).strip():
            raise InvalidInput(
                _("%(name)s: points need their evidence.") % {"name": sheet[code]["name"]}, field="evidence"
            )
        clean[code] = str(value)
    missing = [c for c in sheet if c not in clean]
    if missing:
        raise InvalidInput(
            _("Every criterion is scored; missing: %(codes)s.") % {"codes": ", ".join(missing)}, field="scores"
        )
    total = sum((Decimal(v) for v in clean.values()), Decimal(0))
    data = {
        "org": org,
        "year": year,
        "scores": clean,
        "evidence": evidence,
        "total": total,
        "band_stars": band_stars(total, org.area.path, on),
        "stars": None,
        "rated_on": on,
    }
    existing = StarRating.objects.filter(org=org, year=year).first()
    if existing:
        return services.do_update(existing, data=data, acting_user=acting_user)
    return services.do_create(StarRating, data=data, acting_user=acting_user)


def do_award(ratings: list[StarRating], *, acting_user: Any, on: dt.date | None = None) -> list[StarRating]:
    """Award stars to one year's ratings of an area. From five stars down to three, the ratings whose
    score band reaches the level take it, highest totals first, at most ⌊quota × n⌋ of them; when
    the last place is tied with the next, none of the tied take it (they are considered at the next
    level). Those left over get two stars at most; bands below three stars have no quota."""
    on = on or timezone.localdate()
    if not ratings:
        return []
    area_path = ratings[0].org.area.path
    n = len(ratings)
    awarded: dict[int, int] = {}
    notes: dict[int, list[str]] = {r.pk: [] for r in ratings}
    for stars, name in STAR_LEVELS[:-1]:  # 5, 4, 3
        quota = get_policy(f"party.star.{name}_quota_pct", area_path=area_path, on=on)
        limit = math.floor(Decimal(quota.value) * n / 100)
        pool = sorted((r for r in ratings if r.pk not in awarded and r.band_stars >= stars), key=lambda r: -r.total)
        chosen = pool[:limit]
        if len(pool) > limit and chosen and chosen[-1].total == pool[limit].total:
            edge = chosen[-1].total
            chosen = [r for r in chosen if r.total != edge]
        for rating in chosen:
            awarded[rating.pk] = stars
        for rating in pool:
            if rating.pk not in awarded:
                notes[rating.pk].append(
                    _("%(stars)d stars: at most %(value)s of %(n)d = %(limit)d (%(source)s)")
                    % {"stars": stars, "value": quota.display_value(), "n": n, "limit": limit, "source": quota.cite()}
                )
    results = []
    for rating in ratings:
        stars = awarded.get(rating.pk, min(rating.band_stars, 2))
        results.append(
            services.do_update(
                rating, data={"stars": stars, "explanation": "；".join(notes[rating.pk])}, acting_user=acting_user
            )
        )
    return results
