"""Writes of the development pipeline: member records, milestones, transitions, overdue scans.

Every refusal is a ``GuardFailed`` (HTTP 409, code ``guard_failed``) listing every broken rule
with its policy key and source; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused
from jiceng.core.workflow.services import apply_transition, list_refusals
from jiceng.party.members import rules
from jiceng.party.members.models import (
    ActivistReview,
    MentorPairing,
    PartyMember,
    ProbationExtension,
    Stage,
)

# The API's target stage → the transition that reaches it (``probationary`` from probationary = extend).
TRANSITIONS = {
    Stage.ACTIVIST: "make_activist",
    Stage.CANDIDATE: "make_candidate",
    Stage.PROBATIONARY: "admit",
    Stage.FULL: "convert",
    Stage.CANCELLED: "cancel",
    Stage.WITHDRAWN: "withdraw",
}


def transition_name(member: PartyMember, to: str) -> str:
    if to == Stage.PROBATIONARY and member.stage == Stage.PROBATIONARY:
        return "extend_probation"
    if to not in TRANSITIONS:
        raise InvalidInput(_("Unknown stage “%(to)s”.") % {"to": to}, field="to")
    return TRANSITIONS[Stage(to)]


def refusals(member: PartyMember, to: str, *, acting_user: Any, on: dt.date | None = None) -> list[Reason]:
    """What would stop ``member`` reaching stage ``to`` on ``on`` (empty: it may proceed)."""
    return list_refusals(member, transition_name(member, to), acting_user=acting_user, on=on)


def do_transition(
    member: PartyMember,
    *,
    to: str,
    on: dt.date | None = None,
    acting_user: Any,
    months: int | None = None,
    comment: str = "",
) -> PartyMember:
    """Move ``member`` to stage ``to`` on date ``on`` (the date of the step; for admission the
    branch vote). ``months`` is the length of a probation extension."""
    on = on or timezone.localdate()
    name = transition_name(member, to)
    if on > timezone.localdate():
        raise GuardFailed(
            [Reason(message=_("The date %(on)s is in the future.") % {"on": on.isoformat()})], transition=name
        )
    args: tuple[Any, ...] = ()
    if name == "extend_probation":
        if months is None:
            raise InvalidInput(_("An extension needs its length in months."), field="months")
        found = rules.extension_months_refusal(member, months, on=on)
        refused = list_refusals(member, name, acting_user=acting_user, on=on)
        if found or refused:
            raise GuardFailed(([found] if found else []) + refused, transition=name)
        args = (months,)
    try:
        with transaction.atomic(durable=not transaction.get_connection().in_atomic_block):
            moved = apply_transition(member, name, acting_user=acting_user, comment=comment, on=on, args=args)
            if name == "extend_probation":
                services.do_create(
                    ProbationExtension,
                    data={"member": moved, "decided_on": on, "months": months},
                    acting_user=acting_user,
                    comment=comment,
                )
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition=name) from exc
    member.refresh_from_db()
    resolve_for_stage(member)
    return member


def do_create_member(data: Mapping[str, Any], *, acting_user: Any, on: dt.date | None = None) -> PartyMember:
    """Register a member at any stage with its milestone dates (e.g. members admitted before
    Jiceng). The dates must already satisfy the date rules, else ``GuardFailed`` and nothing
    is written."""
    on = on or timezone.localdate()
    data = dict(data)
    stage = data.pop("stage", Stage.APPLICANT)
    probe = PartyMember(**{k: v for k, v in data.items() if k in {f.name for f in PartyMember._meta.fields}})
    probe.__dict__["stage"] = stage
    if probe.org_id:
        probe.area_id = probe.org.area_id
    if stage not in rules.REQUIRED:
        raise InvalidInput(_("A new record starts at one of the five stages."), field="stage")
    reasons = rules.date_refusals(probe, on=on)
    if reasons:
        raise GuardFailed(reasons, transition="create")
    if stage == Stage.FULL and probe.full_on:
        data.setdefault("probation_ends_on", probe.full_on)  # seniority counts from the end of probation
    elif probe.probationary_on and not data.get("probation_ends_on"):
        months = rules.policy("party.development.probation_months", probe, probe.probationary_on).value
        data["probation_ends_on"] = rules.add_months(probe.probationary_on, months)
    with transaction.atomic():
        member = services.do_create(PartyMember, data={**data, "stage": stage}, acting_user=acting_user)
    return member


def do_record(model: type[models.Model], *, data: Mapping[str, Any], acting_user: Any) -> models.Model:
    """Record one milestone (talk, mentor, review, sponsor, political review, training, notice,
    vote, approval, pairing). Fellow members named in it must be visible to the writer."""
    data = dict(data)
    if model is MentorPairing and "ends_on" not in data:
        member = data["member"]
        months = get_policy("party.development.new_member_mentoring_months", area_path=member.area.path).value
        data["ends_on"] = rules.add_months(data["started_on"], months)
    with transaction.atomic():
        obj = services.do_create(model, data=data, acting_user=acting_user)
    member = getattr(obj, "member", None)
    if member is not None:
        resolve_for_stage(member)
    return obj


# --- overdue scans (alerts) --------------------------------------------------------------
TALK_RULE = "party.development.talk_overdue"
REVIEW_RULE = "party.development.review_overdue"
CONVERSION_RULE = "party.development.conversion_overdue"


def resolve_for_stage(member: PartyMember) -> None:
    """Close the alerts whose condition a new record or stage has cleared."""
    if member.stage != Stage.APPLICANT or member.talks.exists():
        resolve_alert(rule=TALK_RULE, subject=member)
    on = timezone.localdate()
    if member.stage != Stage.ACTIVIST or not _review_missing(member, on):
        resolve_alert(rule=REVIEW_RULE, subject=member)
    if member.stage != Stage.PROBATIONARY:
        resolve_alert(rule=CONVERSION_RULE, subject=member)


def _review_missing(member: PartyMember, on: dt.date) -> list[tuple[dt.date, dt.date]]:
    if member.activist_on is None:
        return []
    interval = rules.policy("party.development.activist_review_interval_months", member, on).value
    return rules.missing_review_periods(member, on=on, interval=interval)


def scan_development(on: dt.date | None = None) -> dict[str, int]:
    """Raise an alert for every applicant not talked with within the policy's month(s), every
    activist whose half-yearly review is missing, and every probation over without a decision."""
    on = on or timezone.localdate()
    raised = {"talks": 0, "reviews": 0, "conversions": 0}
    applicants = PartyMember.objects.filter(stage=Stage.APPLICANT, applied_on__isnull=False, talks__isnull=True)
    for member in applicants.select_related("area", "person"):
        rule = rules.policy("party.development.talk_within_months", member, on)
        due = rules.add_months(member.applied_on, rule.value)
        if on > due:
            raise_alert(
                rule=TALK_RULE,
                subject=member,
                severity="yellow",
                explanation=_(
                    "Applied on %(applied)s; no talk recorded by %(due)s (within %(value)s month(s), %(source)s)"
                )
                % {"applied": member.applied_on, "due": due, "value": rule.value, "source": rule.cite()},
                evidence={"policy": rule.key, "applied_on": member.applied_on.isoformat(), "due": due.isoformat()},
            )
            raised["talks"] += 1
    for member in PartyMember.objects.filter(stage=Stage.ACTIVIST).select_related("area", "person"):
        missing = _review_missing(member, on)
        if missing:
            rule = rules.policy("party.development.activist_review_interval_months", member, on)
            raise_alert(
                rule=REVIEW_RULE,
                subject=member,
                severity="yellow",
                explanation=_("No activist review for %(periods)s (every %(value)s months, %(source)s)")
                % {
                    "periods": "、".join(f"{a}–{b}" for a, b in missing),
                    "value": rule.value,
                    "source": rule.cite(),
                },
                evidence={"policy": rule.key, "missing": [[a.isoformat(), b.isoformat()] for a, b in missing]},
            )
            raised["reviews"] += 1
    overdue = PartyMember.objects.filter(stage=Stage.PROBATIONARY, probation_ends_on__lt=on)
    for member in overdue.select_related("area", "person"):
        rule = rules.policy("party.development.probation_months", member, on)
        raise_alert(
            rule=CONVERSION_RULE,
            subject=member,
            severity="orange",
            explanation=_(
                "The probation ended on %(ends)s and no conversion, extension or cancellation is recorded (%(source)s)"
            )
            % {"ends": member.probation_ends_on, "source": rule.cite()},
            evidence={"policy": rule.key, "probation_ends_on": member.probation_ends_on.isoformat()},
        )
        raised["conversions"] += 1
    return raised


__all__ = [
    "ActivistReview",
    "GuardFailed",
    "do_create_member",
    "do_record",
    "do_transition",
    "refusals",
    "scan_development",
]
