"""Set-up checks of a party organisation (组织设置): findings with their rule, numbers and source.

Each finding is a ``Reason`` built from a policy (``party.org.*``):

- a branch needs at least ``branch_min_full_members`` full members (fewer: join a joint branch);
- more than ``general_branch_members_above`` members: set up a general branch;
- more than ``committee_members_above`` members: set up a committee (needs the higher body's approval);
- from ``branch_committee_min_full_members`` full members a branch elects a committee of
  ``branch_committee_min_size``–``branch_committee_max_size`` members;
- a joint branch covers at most ``joint_branch_max_units`` units and enterprises.

Counts come from ``members_of`` (members on the date: full, or full and probationary).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from jiceng.core.policies.services import PolicyMissing, get_policy
from jiceng.core.workflow import Reason, policy_reason
from jiceng.party.models import LEADERSHIP_ROLES, OrgLevel, PartyOrg
from jiceng.party.selectors import positions_on

BRANCH_LEVELS = (OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH)
SIZED_LEVELS = (OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH, OrgLevel.GENERAL_BRANCH)


@dataclass(frozen=True)
class OrgCounts:
    full: int
    members: int  # full and probationary
    committee: int  # secretary, deputy secretaries and committee members in post
    covered: int  # units and enterprises a joint branch covers


def org_counts(orgs: Iterable[PartyOrg], *, on: dt.date) -> dict[int, OrgCounts]:
    """The figures the checks need for many organisations, in four grouped queries."""
    from jiceng.party.members.selectors import members_of

    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    if not ids:
        return {}
    full = dict(
        members_of(orgs, on=on, stages=("full",)).values("org_id").annotate(n=Count("id")).values_list("org_id", "n")
    )
    members = dict(members_of(orgs, on=on).values("org_id").annotate(n=Count("id")).values_list("org_id", "n"))
    committee = dict(
        positions_on(on=on, org_ids=ids)
        .filter(role__in=LEADERSHIP_ROLES)
        .values("org_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("org_id", "n")
    )
    covered = {
        row["pk"]: row["u"] + row["e"]
        for row in PartyOrg.objects.filter(pk__in=ids, level=OrgLevel.JOINT_BRANCH)
        .annotate(u=Count("covered_units", distinct=True), e=Count("covered_enterprises", distinct=True))
        .values("pk", "u", "e")
    }
    return {
        pk: OrgCounts(
            full=full.get(pk, 0), members=members.get(pk, 0), committee=committee.get(pk, 0), covered=covered.get(pk, 0)
        )
        for pk in ids
    }


def setup_findings(org: PartyOrg, *, on: dt.date, counts: OrgCounts | None = None) -> list[Reason]:
    """What is wrong with how ``org`` is set up on ``on`` (empty: nothing)."""
    if org.dissolved_on is not None and org.dissolved_on <= on:
        return []
    counts = counts or org_counts([org], on=on)[org.pk]
    path = org.area.path

    findings: list[Reason] = []

    def policy(key: str) -> Any:
        """The policy, or ``None`` (and a finding saying so) when no rule is in force."""
        try:
            return get_policy(key, area_path=path, on=on)
        except PolicyMissing as exc:
            if not any(f.policy_key == key for f in findings):
                findings.append(Reason(message=exc.message, policy_key=key))
            return None

    if org.level in BRANCH_LEVELS:
        minimum = policy("party.org.branch_min_full_members")
        if minimum is not None and counts.full < minimum.value:
            findings.append(
                policy_reason(
                    minimum,
                    _(
                        "%(full)s full members: a branch needs at least %(value)s; consider a joint branch "
                        "with neighbouring units."
                    ),
                    full=counts.full,
                )
            )
    if org.level in SIZED_LEVELS:
        committee_above = policy("party.org.committee_members_above")
        general_above = policy("party.org.general_branch_members_above")
        if committee_above is not None and counts.members > committee_above.value:
            findings.append(
                policy_reason(
                    committee_above,
                    _(
                        "%(n)s members, more than %(value)s: a party committee may be set up "
                        "(with the approval of the higher party organisation)."
                    ),
                    n=counts.members,
                )
            )
        elif general_above is not None and org.level in BRANCH_LEVELS and counts.members > general_above.value:
            findings.append(
                policy_reason(
                    general_above,
                    _("%(n)s members, more than %(value)s: set up a general branch with branches under it."),
                    n=counts.members,
                )
            )
    if org.level in BRANCH_LEVELS:
        required = policy("party.org.branch_committee_min_full_members")
        low = policy("party.org.branch_committee_min_size")
        high = policy("party.org.branch_committee_max_size")
        if None not in (required, low, high) and counts.full >= required.value and counts.committee < low.value:
            findings.append(
                policy_reason(
                    required,
                    _(
                        "%(full)s full members (%(value)s or more): a branch committee is required, of "
                        "%(low)s to %(high)s members; %(n)s in post."
                    ),
                    full=counts.full,
                    low=low.value,
                    high=high.value,
                    n=counts.committee,
                )
            )
        if high is not None and counts.committee > high.value:
            findings.append(
                policy_reason(high, _("The branch committee has %(n)s members; at most %(value)s."), n=counts.committee)
            )
    if org.level == OrgLevel.JOINT_BRANCH:
        joint = policy("party.org.joint_branch_max_units")
        if joint is not None and counts.covered > joint.value:
            findings.append(
                policy_reason(
                    joint,
                    _("The joint branch covers %(n)s units and enterprises; at most %(value)s."),
                    n=counts.covered,
                )
            )
    return findings


def findings_by_org(orgs: Iterable[PartyOrg], *, on: dt.date) -> list[tuple[PartyOrg, OrgCounts, list[Reason]]]:
    """(org, counts, findings) for each organisation, findings or not."""
    orgs = list(orgs)
    counts = org_counts(orgs, on=on)
    return [(org, counts[org.pk], setup_findings(org, on=on, counts=counts[org.pk])) for org in orgs]
