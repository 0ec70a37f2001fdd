"""Writes of the supervision registry: safety profiles, installations, resident supervision, guidance logs,
and the standardisation-expiry scan.

Rules checked here: a standardisation grade needs its award date, and its expiry is the award date
plus ``safety.standardisation.validity_months`` in force that day; a stationed supervisor watches a
key enterprise (``Enterprise.is_key``); a guidance visit falls inside its resident supervision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.dates import add_months
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import policy_reason
from jiceng.safety.models import (
    GuidanceLog,
    Installation,
    ResidentSupervision,
    SafetyGrade,
    SafetyProfile,
)

GRADE_EXPIRING_RULE = "safety.standardisation_expiring"
GRADE_EXPIRED_RULE = "safety.standardisation_expired"
VALIDITY_POLICY = "safety.standardisation.validity_months"
REMINDER_POLICY = "safety.standardisation.reminder_months"


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


# --- profiles -------------------------------------------------------------------------------
def grade_expiry(enterprise: Any, awarded_on: dt.date) -> dt.date:
    """The day a standardisation grade awarded on ``awarded_on`` lapses (validity policy of that day)."""
    validity = get_policy(VALIDITY_POLICY, area_path=enterprise.area.path, on=awarded_on)
    return add_months(awarded_on, validity.value)


def _profile_data(data: Mapping[str, Any], profile: SafetyProfile | None) -> dict[str, Any]:
    data = dict(data)
    grade = _value(data, profile, "safety_grade") or ""
    awarded = _value(data, profile, "grade_awarded_on")
    enterprise = _value(data, profile, "enterprise")
    if grade and awarded is None:
        raise InvalidInput(_("A standardisation grade needs the date it was awarded."), field="grade_awarded_on")
    if grade not in SafetyGrade.values:
        raise InvalidInput(_("Unknown standardisation grade “%(grade)s”.") % {"grade": grade}, field="safety_grade")
    data["grade_expires_on"] = grade_expiry(enterprise, awarded) if grade and enterprise is not None else None
    if not grade:
        data["grade_awarded_on"] = None
    return data


def do_create_profile(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> SafetyProfile:
    """Start the bureau's profile of an enterprise (one per enterprise)."""
    enterprise = data.get("enterprise")
    if enterprise is not None and SafetyProfile.objects.filter(enterprise=enterprise).exists():
        raise InvalidInput(_("%(enterprise)s already has a safety profile.") % {"enterprise": enterprise})
    return services.do_create(SafetyProfile, data=_profile_data(data, None), acting_user=acting_user, comment=comment)


def do_update_profile(
    profile: SafetyProfile, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> SafetyProfile:
    if "enterprise" in data and data["enterprise"] != profile.enterprise:
        raise InvalidInput(_("A profile stays with its enterprise."), field="enterprise")
    with transaction.atomic():
        updated = services.do_update(
            profile, data=_profile_data(data, profile), acting_user=acting_user, comment=comment
        )
        if not updated.safety_grade:
            resolve_grade_alerts(updated, acting_user=acting_user, comment=_("The grade was removed."))
        elif updated.grade_expires_on and updated.grade_expires_on > timezone.localdate():
            resolve_grade_alerts(updated, acting_user=acting_user, comment=_("A current grade was recorded."))
    return updated


def profile_for(enterprise: Any) -> SafetyProfile | None:
    return SafetyProfile.objects.filter(enterprise=enterprise).select_related("sector").first()


# --- installations --------------------------------------------------------------------------
def _validate_installation(data: Mapping[str, Any], installation: Installation | None) -> None:
    done = _value(data, installation, "retrofit_done_on")
    if done is not None and not _value(data, installation, "retrofit_required"):
        raise InvalidInput(
            _("A retrofit completion date is only recorded for an installation the programme covers."),
            field="retrofit_done_on",
        )


def do_create_installation(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Installation:
    _validate_installation(data, None)
    return services.do_create(Installation, data=data, acting_user=acting_user, comment=comment)


def do_update_installation(
    installation: Installation, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Installation:
    _validate_installation(data, installation)
    return services.do_update(installation, data=data, acting_user=acting_user, comment=comment)


# --- resident supervision -----------------------------------------------------------------------------
def _validate_resident_supervision(data: Mapping[str, Any], supervision: ResidentSupervision | None) -> None:
    enterprise = _value(data, supervision, "enterprise")
    started = _value(data, supervision, "started_on")
    ended = _value(data, supervision, "ended_on")
    if enterprise is not None and not enterprise.is_key:
        raise InvalidInput(
            _("Supervisors are stationed at key enterprises; %(enterprise)s is not marked as one.")
            % {"enterprise": enterprise},
            field="enterprise",
        )
    if started and ended and ended < started:
        raise InvalidInput(_("A resident supervision cannot end before it starts."), field="ended_on")


def do_create_resident_supervision(
    *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> ResidentSupervision:
    """Station a supervisor at a key enterprise."""
    _validate_resident_supervision(data, None)
    return services.do_create(ResidentSupervision, data=data, acting_user=acting_user, comment=comment)


def do_update_resident_supervision(
    supervision: ResidentSupervision, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> ResidentSupervision:
    _validate_resident_supervision(data, supervision)
    return services.do_update(supervision, data=data, acting_user=acting_user, comment=comment)


def do_record_guidance(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> GuidanceLog:
    """Log a guidance visit; it must fall inside the resident supervision's period."""
    supervision = data.get("supervision")
    visited = data.get("visited_on")
    if supervision is not None and visited is not None and not supervision.is_current(visited):
        raise InvalidInput(
            _("%(supervisor)s was not stationed at %(enterprise)s on %(day)s.")
            % {"supervisor": supervision.supervisor, "enterprise": supervision.enterprise, "day": visited},
            field="visited_on",
        )
    return services.do_create(GuidanceLog, data=data, acting_user=acting_user, comment=comment)


# --- the standardisation-expiry scan --------------------------------------------------------
def resolve_grade_alerts(profile: SafetyProfile, *, acting_user: Any = None, comment: str = "") -> int:
    from jiceng.core.alerts.services import resolve_alert

    return sum(
        resolve_alert(rule=rule, subject=profile, acting_user=acting_user, comment=comment)
        for rule in (GRADE_EXPIRING_RULE, GRADE_EXPIRED_RULE)
    )


def scan_grade_expiry(on: dt.date) -> dict[str, int]:
    """Remind each graded enterprise ``safety.standardisation.reminder_months`` before its grade
    lapses (re-assessment must be applied for before expiry), alert on lapsed grades."""
    from jiceng.core.alerts.services import raise_alert, resolve_alert

    counts = {"expiring": 0, "expired": 0}
    graded = SafetyProfile.objects.exclude(safety_grade="").filter(grade_expires_on__isnull=False)
    for profile in graded.select_related("enterprise", "area").iterator():
        reminder = get_policy(REMINDER_POLICY, area_path=profile.area.path, on=on)
        validity = get_policy(VALIDITY_POLICY, area_path=profile.area.path, on=profile.grade_awarded_on)
        numbers = {
            "enterprise": profile.enterprise,
            "grade": profile.get_safety_grade_display(),
            "awarded": profile.grade_awarded_on,
            "expires": profile.grade_expires_on,
            "validity": validity.value,
            "source": validity.cite(),
        }
        evidence = {
            "grade": profile.safety_grade,
            "awarded_on": profile.grade_awarded_on.isoformat() if profile.grade_awarded_on else None,
            "expires_on": profile.grade_expires_on.isoformat(),
            "policy": validity.key,
        }
        if profile.grade_expires_on <= on:
            raise_alert(
                rule=GRADE_EXPIRED_RULE,
                subject=profile,
                severity="yellow",
                explanation=_(
                    "%(enterprise)s: the %(grade)s standardisation grade awarded on %(awarded)s lapsed on "
                    "%(expires)s (valid %(validity)s months, %(source)s)."
                )
                % numbers,
                evidence=evidence,
            )
            resolve_alert(rule=GRADE_EXPIRING_RULE, subject=profile, comment=_("The grade lapsed."))
            counts["expired"] += 1
        elif add_months(profile.grade_expires_on, -reminder.value) <= on:
            raise_alert(
                rule=GRADE_EXPIRING_RULE,
                subject=profile,
                severity="blue",
                explanation=policy_reason(
                    reminder,
                    _(
                        "%(enterprise)s: the %(grade)s standardisation grade expires on %(expires)s (valid "
                        "%(validity)s months from %(awarded)s); apply for re-assessment — reminder %(value)s months "
                        "ahead"
                    ),
                    **numbers,
                ).message,
                evidence=evidence,
            )
            counts["expiring"] += 1
    return counts
