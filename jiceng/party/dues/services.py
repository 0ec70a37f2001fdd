"""Dues assessment (whole-amount rate of the income band), arrears, the 6-month status scan, study hours.

Dues rule (《关于中国共产党党费收缴、使用和管理的规定》): a salaried member pays a single rate on
the whole monthly income after tax, chosen by the band the income falls in (≤3000 0.5%, ≤5000
1%, ≤10000 1.5%, above 2%; band edges belong to the lower band) — not a progressive tax.
Retirees: ≤5000 0.5%, above 1%. Farmers, students, the unemployed and those on relief pay a
flat monthly amount. Probationary members pay from the month of the branch vote. Amounts are
rounded half up to the fen (policy ``party.dues.rounding``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.party.dues.models import AssignedTask, ContactLoss, StudyCredit
from jiceng.party.members.models import DuesCategory, PartyMember, Stage
from jiceng.party.members.rules import add_months
from jiceng.party.selectors import leadership_person_ids

FEN = Decimal("0.01")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass
class Assessment:
    month: dt.date
    amount: Decimal
    explanation: str
    policies: list[str] = field(default_factory=list)
    income: Decimal | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "month": self.month.strftime("%Y-%m"),
            "amount": str(self.amount),
            "income": str(self.income) if self.income is not None else None,
            "explanation": self.explanation,
            "policies": self.policies,
        }


def _p(key: str, member: PartyMember, month: dt.date) -> PolicyValue:
    return get_policy(key, area_path=member.area.path, on=month)


def _rate_text(income: Decimal, rate: PolicyValue) -> str:
    return _("monthly income %(income)s yuan × %(rate)s (%(source)s)") % {
        "income": f"{income:,.2f}",
        "rate": rate.display_value(),
        "source": rate.cite(),
    }


def assess(member: PartyMember, month: dt.date) -> Assessment:
    """The dues of ``member`` for ``month`` with the rule and numbers that give them."""
    month = month_start(month)
    admitted = member.probationary_on or member.full_on
    if member.stage not in (Stage.PROBATIONARY, Stage.FULL) or admitted is None or month < month_start(admitted):
        return Assessment(
            month, Decimal(0), _("Not a member in this month: dues start with the month of the branch vote.")
        )
    if member.left_on and month > month_start(member.left_on):
        return Assessment(month, Decimal(0), _("Left the party organisation."))
    reduction = (
        member.dues_reductions.filter(from_month__lte=month).exclude(to_month__lt=month).order_by("-from_month").first()
    )
    if reduction is not None:
        return Assessment(
            month,
            reduction.monthly_amount,
            _("Approved reduction or exemption: %(amount)s yuan a month (%(approval)s)")
            % {"amount": reduction.monthly_amount, "approval": reduction.approval},
        )
    category = member.dues_category
    if category == DuesCategory.FARMER:
        flat = _p("party.dues.farmer_monthly_yuan", member, month)
        return Assessment(
            month, Decimal(flat.value), _("Farmer member: %(rule)s") % {"rule": flat.explain()}, [flat.key]
        )
    if category in (DuesCategory.STUDENT, DuesCategory.UNEMPLOYED):
        flat = _p("party.dues.student_monthly_yuan", member, month)
        return Assessment(
            month, Decimal(flat.value), _("Flat monthly dues: %(rule)s") % {"rule": flat.explain()}, [flat.key]
        )
    declaration = member.income_declarations.filter(effective_month__lte=month).order_by("-effective_month").first()
    if declaration is None:
        return Assessment(
            month, Decimal(0), _("No income declared: the branch records the monthly income after tax first.")
        )
    income = declaration.monthly_income
    if category == DuesCategory.RETIRED:
        upper = _p("party.dues.retiree_band_upper_yuan", member, month)
        rate = _p(
            "party.dues.retiree_low_rate" if income <= upper.value else "party.dues.retiree_high_rate", member, month
        )
        keys = [upper.key, rate.key]
    else:
        rate = None
        keys = []
        for band in (1, 2, 3):
            upper = _p(f"party.dues.band{band}_upper_yuan", member, month)
            keys.append(upper.key)
            if income <= upper.value:
                rate = _p(f"party.dues.band{band}_rate", member, month)
                break
        rate = rate or _p("party.dues.band4_rate", member, month)
        keys.append(rate.key)
    amount = (income * Decimal(rate.value) / 100).quantize(FEN, rounding=ROUND_HALF_UP)
    return Assessment(month, amount, _rate_text(income, rate), keys, income)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    found, month = [], month_start(start)
    while month <= end:
        found.append(month)
        month = add_months(month, 1)
    return found


def ledger(member: PartyMember, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Month by month: assessed, paid, owed."""
    paid = dict(
        member.dues_payments.filter(month__gte=month_start(start), month__lte=end)
        .values_list("month")
        .annotate(total=Sum("amount"))
    )
    rows = []
    for month in months(start, end):
        assessment = assess(member, month)
        got = Decimal(paid.get(month, 0)).quantize(FEN)
        rows.append(
            {"assessment": assessment, "paid": got, "owed": max(assessment.amount - got, Decimal(0)).quantize(FEN)}
        )
    return rows


def unpaid_run(member: PartyMember, *, on: dt.date) -> int:
    """Consecutive months up to last month with dues owed and nothing paid."""
    run = 0
    month = add_months(month_start(on), -1)
    paid = set(member.dues_payments.values_list("month", flat=True))
    while True:
        assessment = assess(member, month)
        if assessment.amount <= 0 or month in paid:
            return run
        run += 1
        month = add_months(month, -1)
        if run > 36:
            return run


# --- the 6-month status scan ----------------------------------------------------------------------
RULES = {
    "life": "party.membership.no_organisational_life",
    "dues": "party.membership.no_dues",
    "work": "party.membership.no_assigned_work",
    "lost": "party.membership.lost_contact",
}


def status_findings(member: PartyMember, *, on: dt.date) -> dict[str, str]:
    """Which of the four conditions hold for ``member`` on ``on``, each explained."""
    from jiceng.party.life.models import Attendance

    inactive = _p("party.membership.inactive_months", member, on)
    since = add_months(on, -inactive.value)
    found: dict[str, str] = {}
    rows = list(
        Attendance.objects.filter(member=member, meeting__held_on__gte=since, meeting__held_on__lt=on).values_list(
            "status", "made_up_on", "meeting__held_on"
        )
    )
    span = sorted(d for _s, _m, d in rows)
    if (
        rows
        and not any(s == "present" or (s == "excused" and m) for s, m, _d in rows)
        and span[0] < add_months(since, 1)
    ):
        found["life"] = _("No organisational life attended in %(n)d meetings since %(since)s: %(rule)s") % {
            "n": len(rows),
            "since": since,
            "rule": inactive.explain(),
        }
    run = unpaid_run(member, on=on)
    if run >= inactive.value:
        found["dues"] = _("No dues paid for %(run)d consecutive months: %(rule)s") % {
            "run": run,
            "rule": inactive.explain(),
        }
    stale = AssignedTask.objects.filter(member=member, done_on__isnull=True, assigned_on__lte=since).first()
    if stale is not None:
        found["work"] = _("Assigned work “%(task)s” (%(on)s) not done for %(value)s months: %(rule)s") % {
            "task": stale.task,
            "on": stale.assigned_on,
            "value": inactive.value,
            "rule": inactive.explain(),
        }
    lost_rule = _p("party.membership.lost_contact_months", member, on)
    lost = ContactLoss.objects.filter(member=member, found_on__isnull=True).order_by("lost_since").first()
    if lost is not None and add_months(lost.lost_since, lost_rule.value) <= on:
        found["lost"] = _("Out of contact since %(since)s: %(rule)s; the branch considers suspending membership") % {
            "since": lost.lost_since,
            "rule": lost_rule.explain(),
        }
    return found


def scan_member(member: PartyMember, *, on: dt.date) -> int:
    found = status_findings(member, on=on)
    for key, rule in RULES.items():
        if key in found:
            raise_alert(
                rule=rule,
                subject=member,
                severity="orange" if key in ("life", "dues", "work") else "red",
                explanation=found[key],
                evidence={"condition": key, "on": on.isoformat()},
            )
        else:
            resolve_alert(rule=rule, subject=member, comment=_("the condition no longer holds"))
    return len(found)


def scan_member_status(on: dt.date | None = None) -> dict[str, int]:
    on = on or timezone.localdate()
    counts = {"members": 0, "alerts": 0}
    for member in PartyMember.objects.filter(
        stage__in=[Stage.PROBATIONARY, Stage.FULL], status="active"
    ).select_related("area"):
        counts["members"] += 1
        counts["alerts"] += scan_member(member, on=on)
    return counts


# --- study hours ----------------------------------------------------------------------------------
def study_hours(member: PartyMember, year: int) -> dict[str, Any]:
    """Hours earned in ``year``: attended meetings (their class hours) plus recorded credits,
    against the requirement (32, or 56 for secretaries and committee members)."""
    from jiceng.party.life.models import Attendance

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    attended = Attendance.objects.filter(member=member, meeting__held_on__gte=start, meeting__held_on__lte=end)
    meeting_hours = (attended.filter(status="present").aggregate(h=Sum("meeting__hours"))["h"] or Decimal(0)) + (
        attended.filter(status="excused", made_up_on__isnull=False).aggregate(h=Sum("meeting__hours"))["h"]
        or Decimal(0)
    )
    credits = StudyCredit.objects.filter(member=member, earned_on__gte=start, earned_on__lte=end)
    credit_hours = credits.aggregate(h=Sum("hours"))["h"] or Decimal(0)
    on = min(end, timezone.localdate())
    leader = member.person_id in leadership_person_ids(on=on)
    rule = _p("party.education.secretary_annual_hours" if leader else "party.education.member_annual_hours", member, on)
    total = meeting_hours + credit_hours
    return {
        "year": year,
        "meeting_hours": meeting_hours,
        "credit_hours": credit_hours,
        "total": total,
        "required": Decimal(rule.value),
        "shortfall": max(Decimal(rule.value) - total, Decimal(0)),
        "rule": rule.explain(),
        "policy": rule.key,
    }


SHORTFALL_RULE = "party.education.hours_shortfall"


def scan_study_hours(on: dt.date | None = None) -> int:
    """From the policy's month (default October), alert members below their annual hours."""
    on = on or timezone.localdate()
    raised = 0
    for member in PartyMember.objects.filter(
        stage__in=[Stage.PROBATIONARY, Stage.FULL], status="active"
    ).select_related("area"):
        start_month = _p("party.education.shortfall_alert_month", member, on).value
        result = study_hours(member, on.year)
        if on.month >= start_month and result["shortfall"] > 0:
            raise_alert(
                rule=SHORTFALL_RULE,
                subject=member,
                severity="blue",
                explanation=_("%(total)s of %(required)s class hours in %(year)s: %(rule)s")
                % {"total": result["total"], "required": result["required"], "year": on.year, "rule": result["rule"]},
                evidence={"policy": result["policy"], "total": str(result["total"])},
            )
            raised += 1
        else:
            resolve_alert(rule=SHORTFALL_RULE, subject=member)
    return raised
