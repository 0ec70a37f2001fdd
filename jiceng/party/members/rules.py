"""The development rules (《中国共产党发展党员工作细则》, rules.md §1) as workflow guards.

Each guard answers ``None`` (the rule holds on date ``on``) or a ``Reason`` naming the rule, the
numbers and the source. The numbers are policies (``party.development.*``), never literals.
Date-only guards (age, one year as activist, probation length) also check records created
with their dates already filled in (``date_refusals``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from jiceng.core.dates import add_months, full_months_between
from jiceng.core.deadlines.calendar import workdays_between
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.workflow import GuardList, Reason, guard, policy_reason


# --- dates ---------------------------------------------------------------------------------
def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def policy(key: str, member: Any, on: dt.date) -> PolicyValue:
    return get_policy(key, area_path=member.area.path if member.area_id else "", on=on)


def _vote_passes(vote: Any, share: PolicyValue) -> tuple[bool, bool]:
    """(quorum met, majority met): both strictly above ``share`` of the members expected to vote."""
    threshold = Decimal(vote.expected_voters) * Decimal(share.value) / 100
    return vote.present_voters > threshold, (vote.in_favour + vote.written_in_favour) > threshold


# --- applicant → activist ------------------------------------------------------------------
@guard
def applicant_of_age(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.min_age", member, member.applied_on or on)
    birth = member.person.birth_date
    if member.applied_on is None or birth is None:
        return policy_reason(rule, _("The application date and the applicant's birth date are needed to check the age"))
    age = age_on(birth, member.applied_on)
    if age >= rule.value:
        return None
    return policy_reason(
        rule,
        _("The applicant was %(age)d on the application date %(applied)s; the minimum age is %(value)s"),
        age=age,
        applied=member.applied_on.isoformat(),
    )


@guard
def talk_held(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.talk_within_months", member, on)
    if member.applied_on and member.talks.filter(talked_on__gte=member.applied_on, talked_on__lte=on).exists():
        return None
    return policy_reason(
        rule,
        _(
            "No talk with the applicant is recorded since the application; the party organisation talks with "
            "the applicant within %(value)s month(s) of receiving the application"
        ),
    )


# --- activist → candidate ------------------------------------------------------------------
@guard
def activist_for_long_enough(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.activist_min_months", member, on)
    if member.activist_on is None:
        return policy_reason(rule, _("The date the person became an activist is missing"))
    months = full_months_between(member.activist_on, on)
    if months >= rule.value:
        return None
    return policy_reason(
        rule,
        _(
            "Activist since %(start)s: only %(months)d month(s) by %(on)s; at least %(value)s months of "
            "training and assessment are required (possible from %(earliest)s)"
        ),
        start=member.activist_on.isoformat(),
        months=months,
        on=on.isoformat(),
        earliest=add_months(member.activist_on, rule.value).isoformat(),
    )


@guard
def mentors_assigned(member: Any, *, on: dt.date) -> Reason | None:
    low = policy("party.development.mentors_min", member, on)
    high = policy("party.development.mentors_max", member, on)
    count = member.mentors.filter(assigned_on__lte=on).exclude(ended_on__lte=on).count()
    if low.value <= count <= high.value:
        return None
    return policy_reason(
        low,
        _("%(count)d mentor(s) assigned; an activist has %(low)s to %(high)s full members as mentors"),
        count=count,
        low=low.value,
        high=high.value,
    )


@guard
def reviews_up_to_date(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.activist_review_interval_months", member, on)
    if member.activist_on is None:
        return None  # reported by activist_for_long_enough
    missing = missing_review_periods(member, on=on, interval=rule.value)
    if not missing:
        return None
    return policy_reason(
        rule,
        _("No activist review is recorded for %(periods)s; the branch assesses each activist every %(value)s months"),
        periods="、".join(f"{a.isoformat()}–{b.isoformat()}" for a, b in missing),
    )


def missing_review_periods(member: Any, *, on: dt.date, interval: int) -> list[tuple[dt.date, dt.date]]:
    """The closed half-year periods since ``activist_on`` without a review in them."""
    dates = sorted(member.reviews.filter(reviewed_on__lte=on).values_list("reviewed_on", flat=True))
    missing = []
    start = member.activist_on
    while True:
        end = add_months(start, interval)
        if end > on:
            break
        if not any(start < d <= end for d in dates):
            missing.append((start, end))
        start = end
    return missing


# --- candidate → probationary (the branch vote; ``on`` is the vote date) ---------------------
@guard
def sponsors_qualified(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.sponsors_required", member, on)
    sponsors = list(member.sponsors.select_related("sponsor__person"))
    qualified = [s for s in sponsors if s.sponsor.stage == "full" and not s.sponsor.under_probation_discipline]
    if len(qualified) >= rule.value:
        return None
    refused = [s.sponsor.person.name for s in sponsors if s not in qualified]
    extra = (
        _(" (%(names)s cannot sponsor: not a full member, or under probation within the party)")
        % {"names": "、".join(refused)}
        if refused
        else ""
    )
    return policy_reason(
        rule,
        _("%(count)d qualified sponsor(s); a candidate needs %(value)s full members as sponsors") + "%(extra)s",
        count=len(qualified),
        extra=extra,
    )


@guard
def political_review_valid(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.political_review_valid_months", member, on)
    review = member.political_reviews.filter(concluded_on__lte=on).order_by("-concluded_on").first()
    if review is None:
        return policy_reason(rule, _("No political review with a written conclusion is recorded"))
    if not review.passed:
        return policy_reason(
            rule, _("The political review of %(date)s did not pass"), date=review.concluded_on.isoformat()
        )
    if add_months(review.concluded_on, rule.value) < on:
        return policy_reason(
            rule,
            _("The political review of %(date)s is older than %(value)s months on %(on)s"),
            date=review.concluded_on.isoformat(),
            on=on.isoformat(),
        )
    return None


@guard
def training_completed(member: Any, *, on: dt.date) -> Reason | None:
    days_rule = policy("party.development.training_min_days", member, on)
    hours_rule = policy("party.development.training_min_hours", member, on)
    days = hours = Decimal(0)
    for training in member.trainings.filter(ended_on__lte=on):
        days += training.days
        hours += training.hours
    if days >= days_rule.value or hours >= hours_rule.value:
        return None
    return policy_reason(
        hours_rule,
        _(
            "Collective training: %(days)s day(s), %(hours)s class hour(s); at least %(min_days)s days or "
            "%(min_hours)s class hours are required"
        ),
        days=days.normalize(),
        hours=hours.normalize(),
        min_days=days_rule.value,
        min_hours=hours_rule.value,
    )


def notice_refusal(member: Any, *, on: dt.date, purpose: str) -> Reason | None:
    rule = policy("party.development.public_notice_workdays", member, on)
    notices = list(member.notices.filter(purpose=purpose, ends_on__lt=on))
    longest = max((workdays_between(n.starts_on - dt.timedelta(days=1), n.ends_on) for n in notices), default=0)
    if longest >= rule.value:
        return None
    return policy_reason(
        rule,
        _("Public notice before %(on)s: %(days)d workday(s) completed; at least %(value)s workdays are required"),
        on=on.isoformat(),
        days=longest,
    )


@guard
def admission_notice_done(member: Any, *, on: dt.date) -> Reason | None:
    return notice_refusal(member, on=on, purpose="admission")


@guard
def not_leaving_soon(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.departure_block_months", member, on)
    leaving = member.planned_departure_on
    if leaving is None or leaving > add_months(on, rule.value):
        return None
    return policy_reason(
        rule,
        _(
            "The candidate leaves the unit on %(leaving)s, within %(value)s months of %(on)s; admission is not "
            "processed here"
        ),
        leaving=leaving.isoformat(),
        on=on.isoformat(),
    )


def vote_refusal(member: Any, *, on: dt.date, purpose: str) -> Reason | None:
    share = policy("party.development.vote_quorum_fraction", member, on)
    vote = member.votes.filter(purpose=purpose, held_on=on).order_by("-pk").first()
    if vote is None:
        return policy_reason(share, _("No branch general meeting vote on %(on)s is recorded"), on=on.isoformat())
    quorum, majority = _vote_passes(vote, share)
    if quorum and majority:
        return None
    return policy_reason(
        share,
        _(
            "Branch vote of %(on)s: %(present)d present and %(favour)d in favour (%(written)d of them in writing) "
            "of %(expected)d members expected; both must exceed %(value)s%% of those expected"
        ),
        on=on.isoformat(),
        present=vote.present_voters,
        favour=vote.in_favour + vote.written_in_favour,
        written=vote.written_in_favour,
        expected=vote.expected_voters,
    )


def approval_refusal(member: Any, *, on: dt.date, purpose: str) -> Reason | None:
    normal = policy("party.development.approval_months", member, on)
    longest = policy("party.development.approval_max_months", member, on)
    approval = member.approvals.filter(purpose=purpose, decided_on__gte=on).order_by("-decided_on").first()
    if approval is None:
        return policy_reason(normal, _("The higher committee's approval of the branch resolution is not recorded"))
    if not approval.approved:
        return policy_reason(
            normal,
            _("The higher committee did not approve the resolution (%(date)s)"),
            date=approval.decided_on.isoformat(),
        )
    if approval.decided_on > add_months(on, longest.value):
        return policy_reason(
            longest,
            _(
                "Approved on %(date)s, more than %(value)s months after the branch vote of %(on)s: the procedure "
                "must be repeated"
            ),
            date=approval.decided_on.isoformat(),
            on=on.isoformat(),
        )
    if approval.decided_on > add_months(on, normal.value) and not approval.delay_reason:
        return policy_reason(
            normal,
            _("Approved on %(date)s, more than %(value)s months after the vote of %(on)s, without a stated reason"),
            date=approval.decided_on.isoformat(),
            on=on.isoformat(),
        )
    return None


@guard
def admission_vote_passed(member: Any, *, on: dt.date) -> Reason | None:
    return vote_refusal(member, on=on, purpose="admission")


@guard
def admission_approved(member: Any, *, on: dt.date) -> Reason | None:
    return approval_refusal(member, on=on, purpose="admission")


# --- probationary → full / extended / cancelled ---------------------------------------------
@guard
def probation_over(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.probation_months", member, on)
    ends = member.probation_ends_on
    if ends is not None and on >= ends:
        return None
    return policy_reason(
        rule,
        _(
            "The probation runs until %(ends)s (%(value)s months from the branch vote, plus any extension); "
            "conversion is decided when it is over"
        ),
        ends=ends.isoformat() if ends else "?",
    )


@guard
def conversion_vote_passed(member: Any, *, on: dt.date) -> Reason | None:
    return vote_refusal(member, on=on, purpose="conversion")


@guard
def conversion_approved(member: Any, *, on: dt.date) -> Reason | None:
    return approval_refusal(member, on=on, purpose="conversion")


@guard
def extension_allowed(member: Any, *, on: dt.date) -> Reason | None:
    rule = policy("party.development.probation_extension_max_months", member, on)
    if member.extensions.exists():
        return policy_reason(rule, _("The probation has already been extended once; it may be extended only once"))
    return None


@guard
def cancellation_approved(member: Any, *, on: dt.date) -> Reason | None:
    return approval_refusal(member, on=on, purpose="cancellation")


TO_ACTIVIST = GuardList("party.to_activist", [applicant_of_age, talk_held])
TO_CANDIDATE = GuardList("party.to_candidate", [activist_for_long_enough, mentors_assigned, reviews_up_to_date])
TO_PROBATIONARY = GuardList(
    "party.to_probationary",
    [
        sponsors_qualified,
        political_review_valid,
        training_completed,
        admission_notice_done,
        not_leaving_soon,
        admission_vote_passed,
        admission_approved,
    ],
)
TO_FULL = GuardList("party.to_full", [probation_over, conversion_vote_passed, conversion_approved])
EXTEND = GuardList("party.extend_probation", [extension_allowed])
CANCEL = GuardList("party.cancel_probation", [cancellation_approved])


def extension_months_refusal(member: Any, months: int, *, on: dt.date) -> Reason | None:
    low = policy("party.development.probation_extension_min_months", member, on)
    high = policy("party.development.probation_extension_max_months", member, on)
    if low.value <= months <= high.value:
        return None
    return policy_reason(
        low,
        _("An extension of %(months)d month(s) was asked; it is at least %(low)s and at most %(high)s months"),
        months=months,
        low=low.value,
        high=high.value,
    )


# --- a record created with its dates already filled in ----------------------------------------
ORDER = ["applied_on", "activist_on", "candidate_on", "probationary_on", "full_on"]
REQUIRED = {
    "applicant": ["applied_on"],
    "activist": ["applied_on", "activist_on"],
    "candidate": ["applied_on", "activist_on", "candidate_on"],
    "probationary": ["probationary_on"],
    "full": ["full_on"],
}


def date_refusals(member: Any, *, on: dt.date) -> list[Reason]:
    """What the record's own dates already break: missing or out-of-order milestones, the age at
    application, a year as activist before candidacy, the probation before full membership."""
    reasons: list[Reason] = []
    for name in REQUIRED.get(member.stage, []):
        if getattr(member, name) is None:
            reasons.append(Reason(message=_("The date “%(field)s” is required at this stage") % {"field": name}))
    stage_index = ORDER.index(f"{member.stage}_on") if f"{member.stage}_on" in ORDER else len(ORDER)
    if member.stage == "applicant":
        stage_index = 0
    for name in ORDER[stage_index + 1 :]:
        if getattr(member, name) is not None:
            reasons.append(
                Reason(
                    message=_("The date “%(field)s” belongs to a later stage than “%(stage)s”")
                    % {"field": name, "stage": member.stage}
                )
            )
    dates = [(name, getattr(member, name)) for name in ORDER if getattr(member, name) is not None]
    for (a, da), (b, db) in itertools.pairwise(dates):
        if db < da:
            reasons.append(
                Reason(message=_("“%(b)s” (%(db)s) is before “%(a)s” (%(da)s)") % {"a": a, "b": b, "da": da, "db": db})
            )
    for name, day in dates:
        if day > on:
            reasons.append(Reason(message=_("“%(field)s” (%(day)s) is in the future") % {"field": name, "day": day}))
    # A rule Jiceng has no record of on a historical date (e.g. before the 2014 细则) is not checked.
    try:
        if member.applied_on and member.person.birth_date:
            found = applicant_of_age.reason(member, on=on)
            if found:
                reasons.append(found)
    except PolicyMissing:
        pass
    try:
        if member.activist_on and member.candidate_on:
            found = activist_for_long_enough.reason(member, on=member.candidate_on)
            if found:
                reasons.append(found)
    except PolicyMissing:
        pass
    try:
        found = probation_refusal(member)
        if found:
            reasons.append(found)
    except PolicyMissing:
        pass
    return reasons


def probation_refusal(member: Any) -> Reason | None:
    if not (member.probationary_on and member.full_on):
        return None
    rule = policy("party.development.probation_months", member, member.probationary_on)
    earliest = add_months(member.probationary_on, rule.value)
    if member.full_on >= earliest:
        return None
    return policy_reason(
        rule,
        _(
            "Full membership on %(full)s is before the end of the probation that started on %(start)s "
            "(%(value)s months, until %(end)s)"
        ),
        full=member.full_on.isoformat(),
        start=member.probationary_on.isoformat(),
        end=earliest.isoformat(),
    )
