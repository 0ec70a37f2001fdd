"""The rules of safety training, spot tests, certificate checks and broadcasts, and their alert rules.

Numbers are policies (``seed/policies.json``), read through ``get_policy`` for the row's area on the
relevant date; nothing here holds a threshold.

| policy | used for |
|---|---|
| ``safety.spot_test.pass_mark`` | an employee passes a spot test with a score at or above it |
| ``safety.certificate.<kind>_validity_months`` | a certificate's last valid day when only its issue date is known; cited when it has expired |
| ``safety.training.coverage_target_pct`` | an enterprise counts as fully covered when that share of its employees took part |
| ``safety.broadcast.max_validity_days`` | the longest window a broadcast may run |
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.alerts.models import Severity
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.workflow import Reason, policy_reason
from jiceng.safety.training.models import CertificateKind, CertificateResult

PASS_MARK = "safety.spot_test.pass_mark"  # noqa: S105  (a policy key, not a password)
VALIDITY_MONTHS = {
    CertificateKind.PRINCIPAL: "safety.certificate.principal_validity_months",
    CertificateKind.SAFETY_MANAGER: "safety.certificate.safety_manager_validity_months",
    CertificateKind.SPECIAL_OPERATION: "safety.certificate.special_operation_validity_months",
}
COVERAGE_TARGET = "safety.training.coverage_target_pct"
BROADCAST_MAX_DAYS = "safety.broadcast.max_validity_days"

# Alert rules: (rule, severity) per certificate finding; the broadcast rule.
CERTIFICATE_RULES = {
    CertificateResult.EXPIRED: ("safety.certificate_expired", Severity.YELLOW),
    CertificateResult.FORGED: ("safety.certificate_forged", Severity.ORANGE),
    CertificateResult.HOLDER_MISMATCH: ("safety.certificate_holder_mismatch", Severity.ORANGE),
}
BROADCAST_RULE = "safety.broadcast"


def pass_mark(area_path: str, on: dt.date) -> PolicyValue:
    return get_policy(PASS_MARK, area_path=area_path, on=on)


def certificate_validity(kind: str, area_path: str, on: dt.date) -> PolicyValue:
    return get_policy(VALIDITY_MONTHS[CertificateKind(kind)], area_path=area_path, on=on)


def coverage_target(area_path: str, on: dt.date | None = None) -> PolicyValue | None:
    """The coverage target for ``area_path`` (``None`` where no row applies: the figure is not shown)."""
    try:
        return get_policy(COVERAGE_TARGET, area_path=area_path, on=on)
    except PolicyMissing:
        return None


def broadcast_window_refusal(area_path: str, starts_at: dt.datetime, ends_at: dt.datetime) -> Reason | None:
    """``None`` when the window is no longer than ``safety.broadcast.max_validity_days``."""
    rule = get_policy(BROADCAST_MAX_DAYS, area_path=area_path, on=timezone.localdate(starts_at))
    if ends_at - starts_at <= dt.timedelta(days=int(rule.value)):
        return None
    length = ends_at - starts_at
    return policy_reason(
        rule,
        _(
            "The broadcast would run %(days)s days %(hours)s hours (%(start)s – %(end)s); a broadcast runs at most %(value)s days"
        ),
        days=length.days,
        hours=length.seconds // 3600,
        start=timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"),
        end=timezone.localtime(ends_at).strftime("%Y-%m-%d %H:%M"),
    )


def certificate_numbers(check: Any) -> dict[str, Any]:
    """The facts an alert about a certificate check states (resident IDs masked: alerts go by email)."""
    from jiceng.directory.models import mask_id_number

    return {
        "holder": check.holder_name,
        "id_number": mask_id_number(check.holder_id_number),
        "kind": check.get_kind_display(),
        "number": check.certificate_number,
        "authority": check.issuing_authority,
        "issued": check.issued_on.isoformat() if check.issued_on else "—",
        "until": check.valid_until.isoformat() if check.valid_until else "—",
        "enterprise": check.enterprise,
        "checked": check.checked_on.isoformat(),
        "inspector": check.inspector,
    }
