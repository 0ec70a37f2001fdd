"""Writes of party organisations, positions and terms (换届), and the term scan.

Every write goes through ``jiceng.core.services`` (scope, audit). The rules checked here:
an organisation's parent must be visible to the writer and (for a 党小组) be a branch; an
organisation has at most one host (unit or enterprise); a joint branch covers at most
``party.org.joint_branch_max_units`` units and enterprises; a term lasts the months of the
policy for the org's kind and level, and an approved delay or advance is at most
``party.org.term_change_max_months`` and needs its approval document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import PolicyValue, get_policy
from jiceng.core.scope import user_can
from jiceng.core.workflow import policy_reason
from jiceng.party.models import (
    LEADERSHIP_ROLES,
    OrgKind,
    OrgLevel,
    OrgPosition,
    OrgTerm,
    PartyOrg,
    PositionRole,
    add_months,
)

BRANCH_LEVELS = (OrgLevel.BRANCH, OrgLevel.JOINT_BRANCH)
TERM_OVERDUE_RULE = "party.term_overdue"
TERM_DUE_RULE = "party.term_renewal_due"


# --- organisations --------------------------------------------------------------------------
def _value(data: Mapping[str, Any], org: PartyOrg | None, name: str) -> Any:
    if name in data:
        return data[name]
    if org is None:
        return None
    return getattr(org, name)


def validate_org(data: Mapping[str, Any], *, org: PartyOrg | None, acting_user: Any) -> None:
    """Refuse an organisation whose parent, host or coverage breaks a set-up rule (nothing saved)."""
    parent = _value(data, org, "parent")
    level = _value(data, org, "level")
    area = _value(data, org, "area")
    if parent is not None:
        if acting_user is not None and not user_can(acting_user, parent, "view"):
            raise InvalidInput(_("The parent organisation is outside the areas you manage."), field="parent")
        ancestor = parent
        while ancestor is not None:
            if org is not None and ancestor.pk == org.pk:
                raise InvalidInput(_("An organisation cannot be its own parent or sit below itself."), field="parent")
            ancestor = ancestor.parent
        if level == OrgLevel.GROUP and parent.level not in BRANCH_LEVELS:
            raise InvalidInput(
                _("A party group must belong to a branch (its parent is a %(level)s).")
                % {"level": parent.get_level_display()},
                field="parent",
            )
        if area is not None and not area.path.startswith(parent.area.path):
            raise InvalidInput(
                _("The organisation's area (%(area)s) must lie inside its parent's area (%(parent)s).")
                % {"area": area, "parent": parent.area},
                field="area",
            )
    elif level == OrgLevel.GROUP:
        raise InvalidInput(_("A party group must belong to a branch."), field="parent")
    if _value(data, org, "host_unit") is not None and _value(data, org, "host_enterprise") is not None:
        raise InvalidInput(
            _("An organisation is set up in one unit or one enterprise, not both."), field="host_enterprise"
        )
    covered = _covered_count(data, org)
    if covered and level != OrgLevel.JOINT_BRANCH:
        raise InvalidInput(_("Only a joint branch covers units or enterprises."), field="covered_enterprises")
    if covered and area is not None:
        policy = get_policy("party.org.joint_branch_max_units", area_path=area.path)
        if covered > policy.value:
            raise InvalidInput(
                policy_reason(
                    policy,
                    _("A joint branch covers at most %(value)s units and enterprises; this one would cover %(n)s."),
                    n=covered,
                ).message,
                field="covered_enterprises",
            )


def _covered_count(data: Mapping[str, Any], org: PartyOrg | None) -> int:
    def count(name: str) -> int:
        if name in data:
            return len(list(data[name] or []))
        if org is None or org.pk is None:
            return 0
        return getattr(org, name).count()

    return count("covered_units") + count("covered_enterprises")


def do_create_org(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> PartyOrg:
    validate_org(data, org=None, acting_user=acting_user)
    return services.do_create(PartyOrg, data=data, acting_user=acting_user, comment=comment)


def do_update_org(org: PartyOrg, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> PartyOrg:
    validate_org(data, org=org, acting_user=acting_user)
    return services.do_update(org, data=data, acting_user=acting_user, comment=comment)


# --- positions ------------------------------------------------------------------------------
def validate_position(data: Mapping[str, Any], *, position: OrgPosition | None) -> None:
    org = _value(data, position, "org")
    role = _value(data, position, "role")
    started = _value(data, position, "started_on")
    ended = _value(data, position, "ended_on")
    if started and ended and ended < started:
        raise InvalidInput(_("A post cannot end before it starts."), field="ended_on")
    if org is not None and role == PositionRole.GROUP_LEADER and org.level != OrgLevel.GROUP:
        raise InvalidInput(_("Only a party group has a group leader."), field="role")
    if org is not None and role != PositionRole.GROUP_LEADER and org.level == OrgLevel.GROUP:
        raise InvalidInput(_("A party group has a group leader, not a committee."), field="role")


def do_create_position(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> OrgPosition:
    validate_position(data, position=None)
    return services.do_create(OrgPosition, data=data, acting_user=acting_user, comment=comment)


def do_update_position(
    position: OrgPosition, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> OrgPosition:
    validate_position(data, position=position)
    return services.do_update(position, data=data, acting_user=acting_user, comment=comment)


# --- terms ----------------------------------------------------------------------------------
def term_policy_key(org: PartyOrg) -> str:
    """Which term rule applies: village/community branches and committees 5 years, other branches and
    general branches 3 years (《中国共产党支部工作条例（试行）》第二十条; 基层党委 5 years)."""
    if org.level == OrgLevel.GROUP:
        raise InvalidInput(_("A party group has no term of office."), field="org")
    if org.kind in (OrgKind.VILLAGE, OrgKind.COMMUNITY):
        return "party.org.village_branch_term_years"
    if org.level in (OrgLevel.COMMITTEE, OrgLevel.WORKING_COMMITTEE):
        return "party.org.committee_term_months"
    return "party.org.branch_term_years"


def term_policy(org: PartyOrg, *, on: dt.date) -> PolicyValue:
    return get_policy(term_policy_key(org), area_path=org.area.path, on=on)


def _validate_change(org: PartyOrg, *, change_months: int, change_document: str, on: dt.date) -> None:
    if not change_months:
        return
    policy = get_policy("party.org.term_change_max_months", area_path=org.area.path, on=on)
    if abs(change_months) > policy.value:
        raise InvalidInput(
            policy_reason(
                policy,
                _("A term may be delayed or advanced by at most %(value)s months; %(n)s months were asked."),
                n=abs(change_months),
            ).message,
            field="change_months",
        )
    if not (change_document or "").strip():
        raise InvalidInput(
            _("A delay or advance of the re-election needs the approval document of the higher party organisation."),
            field="change_document",
        )


def do_record_election(
    org: PartyOrg,
    *,
    elected_on: dt.date,
    positions: Iterable[Mapping[str, Any]] = (),
    approved_on: dt.date | None = None,
    filed_on: dt.date | None = None,
    notes: str = "",
    acting_user: Any,
    is_demo: bool = False,
) -> OrgTerm:
    """Record a (re-)election: a new term from ``elected_on`` and the posts elected in it.

    ``positions`` are ``{"person", "role", "from_management"}``. The previous term's leadership
    posts end on ``elected_on``; the open term alerts of the organisation are resolved.
    """
    if org.level == OrgLevel.GROUP:
        raise InvalidInput(_("A party group has no term of office."), field="org")
    latest = org.terms.order_by("-elected_on").first()
    if latest is not None and elected_on <= latest.elected_on:
        raise InvalidInput(
            _("An election on %(day)s cannot precede the current term, elected on %(previous)s.")
            % {"day": elected_on, "previous": latest.elected_on},
            field="elected_on",
        )
    for key, day in (("approved_on", approved_on), ("filed_on", filed_on)):
        if day is not None and day < elected_on:
            raise InvalidInput(_("Approval and filing come after the election."), field=key)
    positions = list(positions)
    secretaries = [p for p in positions if p.get("role") == PositionRole.SECRETARY]
    if len(secretaries) > 1:
        raise InvalidInput(_("An election elects one secretary."), field="positions")
    persons = [p["person"].pk for p in positions]
    if len(set(persons)) != len(persons):
        raise InvalidInput(_("A person is elected to one post only."), field="positions")
    policy = term_policy(org, on=elected_on)
    with transaction.atomic():
        term = services.do_create(
            OrgTerm,
            data={
                "org": org,
                "elected_on": elected_on,
                "term_months": policy.value,
                "term_policy_key": policy.key,
                "approved_on": approved_on,
                "filed_on": filed_on,
                "notes": notes,
                "is_demo": is_demo,
            },
            acting_user=acting_user,
        )
        ending = org.positions.filter(role__in=LEADERSHIP_ROLES, ended_on__isnull=True, started_on__lt=elected_on)
        for old in ending:
            services.do_update(old, data={"ended_on": elected_on}, acting_user=acting_user, comment=_("re-election"))
        for item in positions:
            data = {
                "org": org,
                "person": item["person"],
                "role": item["role"],
                "from_management": bool(item.get("from_management", False)),
                "started_on": elected_on,
                "term": term,
                "is_demo": is_demo,
            }
            validate_position(data, position=None)
            services.do_create(OrgPosition, data=data, acting_user=acting_user)
        resolve_term_alerts(org, acting_user=acting_user, comment=_("A new term was recorded."))
    return term


def do_update_term(term: OrgTerm, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> OrgTerm:
    """Change a term's dates, its approved delay/advance (with document) or notes."""
    allowed = {"change_months", "change_document", "change_approved_on", "approved_on", "filed_on", "notes"}
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInput(
            _("These fields cannot be changed on a term: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    change = data.get("change_months", term.change_months)
    document = data.get("change_document", term.change_document)
    _validate_change(term.org, change_months=change, change_document=document, on=term.elected_on)
    for key in ("approved_on", "filed_on", "change_approved_on"):
        day = data.get(key)
        if day is not None and day < term.elected_on:
            raise InvalidInput(_("Approval and filing come after the election."), field=key)
    return services.do_update(term, data=data, acting_user=acting_user, comment=comment)


def current_term(org: PartyOrg) -> OrgTerm | None:
    return org.terms.order_by("-elected_on").first()


def term_status(term: OrgTerm, *, on: dt.date) -> tuple[str, PolicyValue]:
    """``overdue`` (expired), ``due`` (within the reminder lead time) or ``current``."""
    reminder = get_policy("party.org.renewal_reminder_months", area_path=term.org.area.path, on=on)
    if term.expires_on < on:
        return "overdue", reminder
    if add_months(term.expires_on, -reminder.value) <= on:
        return "due", reminder
    return "current", reminder


def resolve_term_alerts(org: PartyOrg, *, acting_user: Any = None, comment: str = "") -> int:
    from jiceng.core.alerts.services import resolve_alert

    return resolve_alert(rule=TERM_OVERDUE_RULE, subject=org, acting_user=acting_user, comment=comment) + resolve_alert(
        rule=TERM_DUE_RULE, subject=org, acting_user=acting_user, comment=comment
    )


def scan_terms(on: dt.date) -> dict[str, int]:
    """Raise a reminder for each current term within the reminder lead time of its expiry, an
    overdue alert for each expired one, and close the alerts of organisations now in order."""
    from jiceng.core.alerts.services import raise_alert, resolve_alert

    counts = {"due": 0, "overdue": 0, "resolved": 0}
    latest: dict[int, OrgTerm] = {}
    terms = OrgTerm.objects.select_related("org__area").filter(org__dissolved_on__isnull=True).order_by("elected_on")
    for term in terms:
        latest[term.org_id] = term  # ordered by election: the last one wins
    for term in latest.values():
        org = term.org
        status, reminder = term_status(term, on=on)
        rule = term_policy(org, on=term.elected_on)
        evidence = {"elected_on": term.elected_on.isoformat(), "expires_on": term.expires_on.isoformat()}
        if status == "overdue":
            days = (on - term.expires_on).days
            raise_alert(
                rule=TERM_OVERDUE_RULE,
                subject=org,
                severity="orange",
                explanation=_(
                    "%(org)s: the term elected on %(elected)s expired on %(expires)s (%(months)s months, %(source)s); "
                    "re-election is %(days)s days overdue."
                )
                % {
                    "org": org,
                    "elected": term.elected_on,
                    "expires": term.expires_on,
                    "months": term.term_months + term.change_months,
                    "source": rule.cite(),
                    "days": days,
                },
                evidence={**evidence, "days_overdue": days},
            )
            resolve_alert(rule=TERM_DUE_RULE, subject=org, comment=_("The term expired."))
            counts["overdue"] += 1
        elif status == "due":
            raise_alert(
                rule=TERM_DUE_RULE,
                subject=org,
                severity="blue",
                explanation=_(
                    "%(org)s: the term expires on %(expires)s; prepare the re-election (reminder %(lead)s months "
                    "ahead, %(source)s)."
                )
                % {"org": org, "expires": term.expires_on, "lead": reminder.value, "source": reminder.cite()},
                evidence=evidence,
            )
            counts["due"] += 1
        else:
            counts["resolved"] += resolve_term_alerts(org, comment=_("The term is current."))
    return counts
