"""Rules of the registries: fund use, pairings, contest scoring, instructors' monthly visits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import policy_reason
from jiceng.party.members.rules import add_months
from jiceng.party.members.services import GuardFailed
from jiceng.party.models import OrgKind, PartyOrg
from jiceng.party.registries.models import BranchPairing, ContestEntry, FundEntry, FundUse, Instructor


def do_create(model: type[models.Model], *, data: Mapping[str, Any], acting_user: Any) -> models.Model:
    """Create a registry row, applying the rule of its kind."""
    data = dict(data)
    if model is FundEntry:
        check_fund_entry(data)
    if model is BranchPairing:
        check_pairing(data)
    if model is ContestEntry:
        check_scores(data.get("scores") or {})
    with transaction.atomic():
        return services.do_create(model, data=data, acting_user=acting_user)


def check_fund_entry(data: Mapping[str, Any]) -> None:
    amount = Decimal(data["amount"])
    org = data["org"]
    rule = get_policy("party.registries.fund_party_use_only", area_path=org.area.path, on=data["booked_on"])
    if amount > 0 and not data.get("income_source"):
        raise InvalidInput(_("Income needs its source."), field="income_source")
    if amount < 0:
        if not data.get("use"):
            raise InvalidInput(_("Spending needs its use."), field="use")
        if rule.value and data["use"] == FundUse.OTHER:
            raise GuardFailed(
                [
                    policy_reason(
                        rule,
                        _("The park's party fund is spent on party activities only, not on “%(what)s”"),
                        what=data.get("description", ""),
                    )
                ],
                transition="spend",
            )
        balance = FundEntry.objects.filter(org=org).aggregate(total=Sum("amount"))["total"] or Decimal(0)
        if balance + amount < 0:
            raise InvalidInput(
                _("The fund holds %(balance)s yuan; %(amount)s cannot be spent.")
                % {"balance": balance, "amount": -amount},
                field="amount",
            )


def check_pairing(data: Mapping[str, Any]) -> None:
    enterprise, village = data["enterprise_branch"], data["village_branch"]
    if enterprise.host_enterprise_id is None and enterprise.kind != OrgKind.NEW_ECONOMIC:
        raise InvalidInput(_("The first side of a “1+1” pairing is an enterprise's branch."), field="enterprise_branch")
    if village.kind not in (OrgKind.VILLAGE, OrgKind.COMMUNITY):
        raise InvalidInput(
            _("The second side of a “1+1” pairing is a village or community branch."), field="village_branch"
        )
    if BranchPairing.objects.filter(enterprise_branch=enterprise, village_branch=village).exists():
        raise InvalidInput(_("These two branches are already paired."), field="village_branch")


def check_scores(scores: Mapping[str, Any]) -> None:
    for juror, raw in scores.items():
        try:
            value = Decimal(str(raw))
        except Exception as exc:
            raise InvalidInput(_("%(juror)s: the score is a number.") % {"juror": juror}, field="scores") from exc
        if not Decimal(0) <= value <= Decimal(100):
            raise InvalidInput(_("%(juror)s: scores are 0–100.") % {"juror": juror}, field="scores")


def entry_score(entry: ContestEntry) -> tuple[Decimal | None, str]:
    """The contestant's score: the mean of the jury's scores, dropping the highest and lowest
    when the jury is large enough (policy), with the rule as text."""
    values = sorted(Decimal(str(v)) for v in entry.scores.values())
    if not values:
        return None, _("not scored yet")
    rule = get_policy(
        "party.registries.contest_trim_min_jurors", area_path=entry.contest.area.path, on=entry.contest.held_on
    )
    if len(values) >= rule.value:
        values = values[1:-1]
        how = _("highest and lowest dropped (%(n)s jurors or more, %(status)s)") % {
            "n": rule.value,
            "status": rule.source_status,
        }
    else:
        how = _("plain mean (fewer than %(n)s jurors)") % {"n": rule.value}
    mean = (sum(values) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return mean, how


def contest_ranking(contest: Any) -> list[dict[str, Any]]:
    rows = []
    for entry in contest.entries.select_related("contestant", "org"):
        score, how = entry_score(entry)
        rows.append({"entry": entry, "score": score, "how": how})
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0)))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def instructors_without_visit(queryset: Any, *, on: dt.date | None = None) -> list[tuple[Instructor, dt.date | None]]:
    """Instructors with no visit in the last closed period (policy: monthly)."""
    on = on or timezone.localdate()
    rows = []
    for instructor in queryset.select_related("area"):
        months = get_policy("party.registries.instructor_visit_months", area_path=instructor.area.path, on=on).value
        end = on.replace(day=1)
        start = add_months(end, -months)
        last = instructor.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
        if not instructor.visits.filter(visited_on__gte=start, visited_on__lt=end).exists():
            rows.append((instructor, last))
    return rows


def fund_balance(org: PartyOrg) -> Decimal:
    return FundEntry.objects.filter(org=org).aggregate(total=Sum("amount"))["total"] or Decimal(0)
