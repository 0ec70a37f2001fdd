"""Writes of safety training, spot tests, certificate checks, publicity and broadcasts.

Rules checked here (numbers from ``rules.py`` policies, never literals):

- every training row is about an enterprise under supervision (it has a ``SafetyProfile``: its
  employees are the denominator of participation), lies in the past, and falls inside the period
  of the campaign it names;
- a session's participants are at least its named attendees; an exam's passes at most its candidates;
- a spot test's pass mark is ``safety.spot_test.pass_mark`` on the test day; an employee passes with a
  score at or above it; a test with per-employee results counts ``tested``/``passed`` from them;
- a certificate check's result is derived from its facts (``models.certificate_result``); an
  expired, forged or borrowed certificate raises an alert that says which rule, numbers and source;
- a broadcast runs at most ``safety.broadcast.max_validity_days``; while live it is an alert of
  ``safety.broadcast`` in its Area (notifications through every channel); withdrawal or the end of
  its window closes it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit, services
from jiceng.core.alerts.models import AlertState
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.dates import add_months
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditAction
from jiceng.core.workflow import ConcurrentTransitionError, GuardFailed, TransitionRefused, policy_reason
from jiceng.core.workflow.services import apply_transition
from jiceng.directory.models import normalise_id_number, validate_id_number
from jiceng.safety.services import profile_for
from jiceng.safety.training import rules
from jiceng.safety.training.constants import AD_IMAGE_MAX_BYTES
from jiceng.safety.training.models import (
    Broadcast,
    BroadcastState,
    CertificateCheck,
    CertificateResult,
    Exam,
    PublicityActivity,
    PublicityTarget,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingSession,
    certificate_result,
)

M = TypeVar("M", bound=models.Model)


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(
            _("The date %(day)s is in the future; record what has happened.") % {"day": day}, field=field
        )


def _in_campaign(data: Mapping[str, Any], obj: Any, date_field: str) -> None:
    campaign = _value(data, obj, "campaign")
    day = _value(data, obj, date_field)
    if campaign is not None and day is not None and not campaign.covers(day):
        raise InvalidInput(
            _("%(day)s is outside the campaign “%(campaign)s” (%(start)s – %(end)s).")
            % {"day": day, "campaign": campaign, "start": campaign.starts_on, "end": campaign.ends_on},
            field=date_field,
        )


def _supervised(data: Mapping[str, Any], obj: Any) -> Any:
    """The enterprise of the row; it must be under supervision and stays with the row once recorded."""
    enterprise = _value(data, obj, "enterprise")
    if obj is not None and "enterprise" in data and data["enterprise"] != obj.enterprise:
        raise InvalidInput(_("A record stays with its enterprise."), field="enterprise")
    if obj is None and enterprise is not None and profile_for(enterprise) is None:
        raise InvalidInput(
            _("%(enterprise)s has no safety profile; start its profile (with its employees) first.")
            % {"enterprise": enterprise},
            field="enterprise",
        )
    return enterprise


# --- installation-wide rows (campaigns, the ad library) --------------------------------------
# They belong to no Area, so the generic services' scope conformance (which needs an Area) does not
# apply: permission, validation, the write and its audit entry are done here in one transaction.
def _create_installation_row(model: type[M], *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> M:
    services.check_permission(model, acting_user, "add")
    with transaction.atomic():
        obj = model(**data)
        obj.full_clean()
        obj.save()
        audit.record(AuditAction.CREATE, obj, actor=acting_user, after=audit.snapshot(obj), comment=comment)
    return obj


def _update_installation_row(obj: M, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> M:
    model = type(obj)
    services.check_permission(model, acting_user, "change")
    with transaction.atomic():
        locked = model._default_manager.select_for_update(no_key=True).get(pk=obj.pk)
        before = audit.snapshot(locked)
        changed = [name for name, value in data.items() if getattr(locked, name) != value]
        for name in changed:
            setattr(locked, name, data[name])
        locked.full_clean()
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
        after = audit.snapshot(locked)
        if after != before:
            audit.record(AuditAction.UPDATE, locked, actor=acting_user, before=before, after=after, comment=comment)
    return locked


def do_delete_installation_row(obj: models.Model, *, acting_user: Any, comment: str = "") -> None:
    """Delete a campaign or an ad (refused while rows refer to it)."""
    services.check_permission(type(obj), acting_user, "delete")
    with transaction.atomic():
        audit.record(AuditAction.DELETE, obj, actor=acting_user, before=audit.snapshot(obj), comment=comment)
        try:
            obj.delete()
        except models.ProtectedError as exc:
            raise InvalidInput(_("Other records still refer to this one; remove or reassign them first.")) from exc


# --- campaigns ------------------------------------------------------------------------------
CAMPAIGN_ROWS = [
    (TrainingSession, "held_on"),
    (Exam, "held_on"),
    (SpotTest, "tested_on"),
    (CertificateCheck, "checked_on"),
    (PublicityActivity, "held_on"),
]


def _campaign_data(data: Mapping[str, Any], campaign: TrainingCampaign | None) -> None:
    starts = _value(data, campaign, "starts_on")
    ends = _value(data, campaign, "ends_on")
    if starts and ends and ends < starts:
        raise InvalidInput(_("A campaign cannot end before it starts."), field="ends_on")
    if campaign is None or starts is None or ends is None:
        return
    outside = sum(
        model.objects.filter(campaign=campaign)
        .filter(Q(**{f"{field}__lt": starts}) | Q(**{f"{field}__gt": ends}))
        .count()
        for model, field in CAMPAIGN_ROWS
    )
    if outside:
        raise InvalidInput(
            _("%(count)d records of this campaign would fall outside %(start)s – %(end)s.")
            % {"count": outside, "start": starts, "end": ends},
            field="starts_on",
        )


def do_create_campaign(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> TrainingCampaign:
    """Declare a special action (专项行动) and its period."""
    _campaign_data(data, None)
    return _create_installation_row(TrainingCampaign, data=data, acting_user=acting_user, comment=comment)


def do_update_campaign(
    campaign: TrainingCampaign, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> TrainingCampaign:
    _campaign_data(data, campaign)
    return _update_installation_row(campaign, data=data, acting_user=acting_user, comment=comment)


# --- S13: training sessions and exams -------------------------------------------------------
def _training_data(data: Mapping[str, Any], session: TrainingSession | None) -> dict[str, Any]:
    data = dict(data)
    _supervised(data, session)
    _not_in_future(_value(data, session, "held_on"), "held_on")
    _in_campaign(data, session, "held_on")
    if "attendees" in data:
        attendees = list(data["attendees"] or [])
    else:
        attendees = list(session.attendees.all()) if session is not None else []
    named = len({getattr(a, "pk", a) for a in attendees})
    participants = _value(data, session, "participants") or 0
    if named and not participants:
        data["participants"] = named
    elif participants < named:
        raise InvalidInput(
            _("%(participants)d participants, but %(named)d attendees are named.")
            % {"participants": participants, "named": named},
            field="participants",
        )
    return data


def do_create_training(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> TrainingSession:
    """Record a training session an enterprise held (its participants, optionally by name)."""
    return services.do_create(
        TrainingSession, data=_training_data(data, None), acting_user=acting_user, comment=comment
    )


def do_update_training(
    session: TrainingSession, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> TrainingSession:
    return services.do_update(session, data=_training_data(data, session), acting_user=acting_user, comment=comment)


def _exam_data(data: Mapping[str, Any], exam: Exam | None) -> None:
    enterprise = _supervised(data, exam)
    _not_in_future(_value(data, exam, "held_on"), "held_on")
    _in_campaign(data, exam, "held_on")
    candidates = _value(data, exam, "candidates") or 0
    passed = _value(data, exam, "passed") or 0
    if passed > candidates:
        raise InvalidInput(
            _("%(passed)d passed out of %(candidates)d candidates: no more can pass than sat the exam.")
            % {"passed": passed, "candidates": candidates},
            field="passed",
        )
    session = _value(data, exam, "session")
    if session is not None and enterprise is not None and session.enterprise_id != enterprise.pk:
        raise InvalidInput(_("The training session belongs to another enterprise."), field="session")


def do_create_exam(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Exam:
    """Record an exam: how many sat it and how many passed."""
    _exam_data(data, None)
    return services.do_create(Exam, data=data, acting_user=acting_user, comment=comment)


def do_update_exam(exam: Exam, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Exam:
    _exam_data(data, exam)
    return services.do_update(exam, data=data, acting_user=acting_user, comment=comment)


# --- S14: spot tests ------------------------------------------------------------------------
def _spot_test_data(data: Mapping[str, Any], test: SpotTest | None) -> dict[str, Any]:
    data = dict(data)
    enterprise = _supervised(data, test)
    tested_on = _value(data, test, "tested_on")
    _not_in_future(tested_on, "tested_on")
    _in_campaign(data, test, "tested_on")
    if test is not None and test.results.exists():
        for name in ("tested", "passed"):
            if name in data and data[name] != getattr(test, name):
                raise InvalidInput(_("This test has results per employee: its counts come from them."), field=name)
    tested = _value(data, test, "tested") or 0
    passed = _value(data, test, "passed") or 0
    if passed > tested:
        raise InvalidInput(
            _("%(passed)d passed out of %(tested)d tested: no more can pass than were tested.")
            % {"passed": passed, "tested": tested},
            field="passed",
        )
    if enterprise is not None and tested_on is not None:
        data["pass_mark"] = rules.pass_mark(enterprise.area.path, tested_on).value
    return data


def do_create_spot_test(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> SpotTest:
    """Record a spot test of an enterprise's employees (counts now, or per-employee results later)."""
    return services.do_create(SpotTest, data=_spot_test_data(data, None), acting_user=acting_user, comment=comment)


def do_update_spot_test(test: SpotTest, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> SpotTest:
    """Correct a spot test; a new test day may bring another pass mark, which re-marks the results."""
    with transaction.atomic():
        updated = services.do_update(test, data=_spot_test_data(data, test), acting_user=acting_user, comment=comment)
        updated = _remark(updated, acting_user=acting_user)
    return updated


def _remark(test: SpotTest, *, acting_user: Any) -> SpotTest:
    """Re-derive each result's ``passed`` from the test's pass mark, then the test's counts."""
    results = list(test.results.all())
    for result in results:
        passed = result.score >= test.pass_mark
        if result.passed != passed:
            services.do_update(result, data={"passed": passed}, acting_user=acting_user, comment="pass mark")
    return _recount(test, acting_user=acting_user) if results else test


def _recount(test: SpotTest, *, acting_user: Any) -> SpotTest:
    counts = test.results.aggregate(tested=Count("id"), passed=Count("id", filter=Q(passed=True)))
    if (counts["tested"], counts["passed"]) == (test.tested, test.passed):
        return test
    return services.do_update(test, data=counts, acting_user=acting_user, comment="counted from results")


def do_record_result(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> SpotTestResult:
    """Record one employee's score; whether it passes follows the test's pass mark (at or above)."""
    test = data.get("spot_test")
    score = data.get("score")
    if test is None or score is None:
        raise InvalidInput(_("A result needs its spot test and the score."), field="score")
    with transaction.atomic():
        locked = SpotTest.objects.select_for_update(no_key=True).get(pk=test.pk)
        if not locked.results.exists() and locked.tested:
            raise InvalidInput(
                _("This test was recorded with counts only (%(tested)d tested); set them to 0 to record results.")
                % {"tested": locked.tested},
                field="spot_test",
            )
        result = services.do_create(
            SpotTestResult,
            data={**data, "spot_test": locked, "passed": score >= locked.pass_mark},
            acting_user=acting_user,
            comment=comment,
        )
        _recount(locked, acting_user=acting_user)
    return result


def do_update_result(
    result: SpotTestResult, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> SpotTestResult:
    """Correct a score (or the employee); ``passed`` and the test's counts follow."""
    if "spot_test" in data and data["spot_test"] != result.spot_test:
        raise InvalidInput(_("A result stays with its spot test."), field="spot_test")
    with transaction.atomic():
        test = SpotTest.objects.select_for_update(no_key=True).get(pk=result.spot_test_id)
        score = _value(data, result, "score")
        changes = {k: v for k, v in data.items() if k in ("employee", "score")}
        updated = services.do_update(
            result, data={**changes, "passed": score >= test.pass_mark}, acting_user=acting_user, comment=comment
        )
        _recount(test, acting_user=acting_user)
    return updated


def do_delete_result(result: SpotTestResult, *, acting_user: Any, comment: str = "") -> None:
    with transaction.atomic():
        test = SpotTest.objects.select_for_update(no_key=True).get(pk=result.spot_test_id)
        services.do_delete(result, acting_user=acting_user, comment=comment)
        _recount(test, acting_user=acting_user)


# --- S14: certificate checks ----------------------------------------------------------------
def _certificate_data(data: Mapping[str, Any], check: CertificateCheck | None) -> dict[str, Any]:
    data = dict(data)
    enterprise = _supervised(data, check)
    checked_on = _value(data, check, "checked_on")
    _not_in_future(checked_on, "checked_on")
    _in_campaign(data, check, "checked_on")
    id_number = _value(data, check, "holder_id_number") or ""
    if id_number:
        id_number = normalise_id_number(id_number)
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            raise ValidationError({"holder_id_number": exc.messages}) from exc
        data["holder_id_number"] = id_number
    holder = _value(data, check, "holder")
    said = _value(data, check, "holder_matches")
    holder_matches = True if said is None else bool(said)
    if holder is not None and id_number and normalise_id_number(holder.id_number) != id_number:
        holder_matches = False  # the ID number on the certificate is not the person's
        data["holder_matches"] = False
    kind = _value(data, check, "kind")
    issued_on = _value(data, check, "issued_on")
    valid_until = _value(data, check, "valid_until")
    if valid_until is None and issued_on is not None and kind and enterprise is not None:
        validity = rules.certificate_validity(kind, enterprise.area.path, issued_on)
        valid_until = data["valid_until"] = add_months(issued_on, validity.value)
    if valid_until is None:
        raise InvalidInput(_("Give the certificate's valid-until date, or its issue date."), field="valid_until")
    if checked_on is not None:
        found = _value(data, check, "found_in_register")
        data["result"] = certificate_result(
            found_in_register=True if found is None else bool(found),
            holder_matches=holder_matches,
            valid_until=valid_until,
            checked_on=checked_on,
        )
    return data


def _certificate_explanation(check: CertificateCheck) -> str:
    numbers = rules.certificate_numbers(check)
    if check.result == CertificateResult.EXPIRED:
        validity = rules.certificate_validity(check.kind, check.area.path, check.issued_on or check.checked_on)
        days = (check.checked_on - check.valid_until).days
        return policy_reason(
            validity,
            _(
                "%(holder)s's %(kind)s No. %(number)s (issued by %(authority)s on %(issued)s) was valid until "
                "%(until)s; checked at %(enterprise)s on %(checked)s, %(days)d days after it expired (such a "
                "certificate is valid %(value)s months)"
            ),
            days=days,
            **numbers,
        ).message
    if check.result == CertificateResult.FORGED:
        return _(
            "%(holder)s's %(kind)s No. %(number)s, said to be issued by %(authority)s, is not in the issuing "
            "authority's register: a forged certificate (rule %(rule)s), found at %(enterprise)s on %(checked)s "
            "by %(inspector)s."
        ) % {**numbers, "rule": rules.CERTIFICATE_RULES[CertificateResult.FORGED][0]}
    return _(
        "%(kind)s No. %(number)s of %(holder)s (ID %(id_number)s) is carried by someone who is not its holder "
        "(rule %(rule)s): found at %(enterprise)s on %(checked)s by %(inspector)s."
    ) % {**numbers, "rule": rules.CERTIFICATE_RULES[CertificateResult.HOLDER_MISMATCH][0]}


def sync_certificate_alerts(check: CertificateCheck, *, acting_user: Any = None) -> None:
    """Raise the alert of the check's finding (once: one open alert per rule and check) and close
    the alerts of findings it no longer has. A genuine, valid certificate of the same holder and kind
    checked later also closes the expiry alerts of earlier checks (the certificate was renewed)."""
    for result, (rule, severity) in rules.CERTIFICATE_RULES.items():
        if check.result == result:
            raise_alert(
                rule=rule,
                subject=check,
                severity=severity,
                explanation=_certificate_explanation(check),
                evidence={
                    "check": check.pk,
                    "result": check.result,
                    "kind": check.kind,
                    "certificate_number": check.certificate_number,
                    "issued_on": check.issued_on.isoformat() if check.issued_on else None,
                    "valid_until": check.valid_until.isoformat() if check.valid_until else None,
                    "checked_on": check.checked_on.isoformat(),
                    "found_in_register": check.found_in_register,
                    "holder_matches": check.holder_matches,
                },
            )
        else:
            resolve_alert(
                rule=rule,
                subject=check,
                acting_user=acting_user,
                comment=_("The check now reads: %(result)s.") % {"result": check.get_result_display()},
            )
    if check.result != CertificateResult.VALID:
        return
    same_holder = Q(certificate_number=check.certificate_number)
    if check.holder_id is not None:
        same_holder |= Q(holder=check.holder_id)
    if check.holder_id_number:
        same_holder |= Q(holder_id_number=check.holder_id_number)
    earlier = (
        CertificateCheck.objects.filter(same_holder, kind=check.kind, result=CertificateResult.EXPIRED)
        .filter(checked_on__lte=check.checked_on)
        .exclude(pk=check.pk)
    )
    rule = rules.CERTIFICATE_RULES[CertificateResult.EXPIRED][0]
    for old in earlier:
        resolve_alert(
            rule=rule,
            subject=old,
            acting_user=acting_user,
            comment=_("A valid %(kind)s of the holder was checked on %(day)s (check %(id)s).")
            % {"kind": check.get_kind_display(), "day": check.checked_on, "id": check.pk},
        )


def do_create_certificate_check(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> CertificateCheck:
    """Record a certificate check; an expired, forged or borrowed certificate raises its alert."""
    with transaction.atomic():
        check = services.do_create(
            CertificateCheck, data=_certificate_data(data, None), acting_user=acting_user, comment=comment
        )
        sync_certificate_alerts(check, acting_user=acting_user)
    return check


def do_update_certificate_check(
    check: CertificateCheck, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> CertificateCheck:
    """Correct a check; its alerts follow the corrected result."""
    with transaction.atomic():
        updated = services.do_update(
            check, data=_certificate_data(data, check), acting_user=acting_user, comment=comment
        )
        sync_certificate_alerts(updated, acting_user=acting_user)
    return updated


def do_delete_certificate_check(check: CertificateCheck, *, acting_user: Any, comment: str = "") -> None:
    with transaction.atomic():
        for rule, _severity in rules.CERTIFICATE_RULES.values():
            resolve_alert(rule=rule, subject=check, acting_user=acting_user, comment=_("The check was deleted."))
        services.do_delete(check, acting_user=acting_user, comment=comment)


# --- S15: publicity -------------------------------------------------------------------------
def _publicity_data(data: Mapping[str, Any], activity: PublicityActivity | None) -> dict[str, Any]:
    data = dict(data)
    target = _value(data, activity, "target")
    enterprise = _value(data, activity, "enterprise")
    area = _value(data, activity, "area")
    if enterprise is not None:
        if target != PublicityTarget.ENTERPRISE:
            raise InvalidInput(_("Name an enterprise only for an activity in an enterprise."), field="enterprise")
        if area is None:
            data["area"] = area = enterprise.area
        elif not enterprise.area.path.startswith(area.path):
            raise InvalidInput(
                _("%(enterprise)s is not in %(area)s.") % {"enterprise": enterprise, "area": area}, field="enterprise"
            )
    _not_in_future(_value(data, activity, "held_on"), "held_on")
    _in_campaign(data, activity, "held_on")
    return data


def do_create_publicity(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> PublicityActivity:
    """Record a publicity activity of the "五进"."""
    return services.do_create(
        PublicityActivity, data=_publicity_data(data, None), acting_user=acting_user, comment=comment
    )


def do_update_publicity(
    activity: PublicityActivity, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> PublicityActivity:
    return services.do_update(activity, data=_publicity_data(data, activity), acting_user=acting_user, comment=comment)


# --- S15: the public-service-ad library -----------------------------------------------------
def do_create_ad(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> PublicServiceAd:
    return _create_installation_row(PublicServiceAd, data=data, acting_user=acting_user, comment=comment)


def do_update_ad(
    ad: PublicServiceAd, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> PublicServiceAd:
    return _update_installation_row(ad, data=data, acting_user=acting_user, comment=comment)


def image_kind(head: bytes) -> str:
    """``png``/``jpg``/``webp`` from a file's first bytes ("" for anything else)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return ""


def do_set_ad_image(ad: PublicServiceAd, *, upload: Any, acting_user: Any) -> PublicServiceAd:
    """Attach the ad's picture (a PNG, JPEG or WebP file, by its content), or remove it (``None``).

    The file goes to the default storage; the row keeps its name (audited like any field). Old
    pictures stay in the storage: the history refers to them.
    """
    services.check_permission(PublicServiceAd, acting_user, "change")
    if upload is None:
        return _update_installation_row(ad, data={"image": ""}, acting_user=acting_user, comment="image removed")
    if upload.size > AD_IMAGE_MAX_BYTES:
        raise InvalidInput(_("The image is larger than %(kb)d KB.") % {"kb": AD_IMAGE_MAX_BYTES // 1024}, field="image")
    upload.seek(0)
    kind = image_kind(upload.read(12))
    upload.seek(0)
    if not kind:
        raise InvalidInput(_("The image must be a PNG, JPEG or WebP file."), field="image")
    name = default_storage.save(f"safety/ads/{ad.pk}-{uuid.uuid4().hex}.{kind}", upload)
    return _update_installation_row(ad, data={"image": name}, acting_user=acting_user, comment="image")


# --- S15: broadcasts ------------------------------------------------------------------------
def broadcast_text(broadcast: Broadcast) -> str:
    """What recipients read (in the app, by email, by text message)."""
    return _("[%(title)s] %(message)s (%(area)s, %(start)s – %(end)s)") % {
        "title": broadcast.title,
        "message": broadcast.message,
        "area": broadcast.area.name,
        "start": timezone.localtime(broadcast.starts_at).strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(broadcast.ends_at).strftime("%Y-%m-%d %H:%M"),
    }


def _broadcast_data(data: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    data = dict(data)
    ad = data.get("ad")
    if ad is not None:
        data["title"] = data.get("title") or ad.title
        data["message"] = data.get("message") or ad.text
    if not data.get("message"):
        raise InvalidInput(_("A broadcast needs its message (or an ad from the library)."), field="message")
    data["starts_at"] = starts = data.get("starts_at") or now
    ends = data.get("ends_at")
    if ends is None:
        raise InvalidInput(_("A broadcast needs the end of its window."), field="ends_at")
    if ends <= starts:
        raise InvalidInput(_("A broadcast must end after it starts."), field="ends_at")
    if ends <= now:
        raise InvalidInput(_("The window has already ended."), field="ends_at")
    area = data.get("area")
    if area is not None:
        refusal = rules.broadcast_window_refusal(area.path, starts, ends)
        if refusal is not None:
            raise GuardFailed([refusal], transition="create")
    return data


def _publish(broadcast: Broadcast, *, acting_user: Any) -> Broadcast:
    """Send it: the ``publish`` transition, then the alert that carries it to the Area's users."""
    moved: Broadcast = apply_transition(  # type: ignore[assignment]
        broadcast, "publish", acting_user=acting_user, system=True, comment=_("The window began.")
    )
    alert = raise_alert(
        rule=rules.BROADCAST_RULE,
        subject=moved,
        severity=moved.severity,
        explanation=broadcast_text(moved),
        evidence={
            "broadcast": moved.pk,
            "area": moved.area.code,
            "starts_at": moved.starts_at.isoformat(),
            "ends_at": moved.ends_at.isoformat(),
            "ad": moved.ad_id,
        },
        area_path=moved.area.path,
    )
    if alert is not None and alert.state == AlertState.OPEN:
        # A broadcast informs; nobody has to act on it, so it must not climb the Area tree.
        apply_transition(
            alert, "acknowledge", acting_user=None, system=True, comment=_("A broadcast: sent, it does not escalate.")
        )
    return moved


def do_create_broadcast(
    *, data: Mapping[str, Any], acting_user: Any, comment: str = "", now: dt.datetime | None = None
) -> Broadcast:
    """Schedule a safety prompt or warning for an Area; sent at once when its window has begun."""
    now = now or timezone.now()
    data = _broadcast_data(data, now)
    with transaction.atomic():
        broadcast = services.do_create(Broadcast, data=data, acting_user=acting_user, comment=comment)
        if broadcast.starts_at <= now:
            broadcast = _publish(broadcast, acting_user=acting_user)
    return broadcast


def do_withdraw_broadcast(broadcast: Broadcast, *, acting_user: Any, comment: str = "") -> Broadcast:
    """Stop a scheduled or live broadcast; its alert closes."""
    try:
        with transaction.atomic():
            moved: Broadcast = apply_transition(  # type: ignore[assignment]
                broadcast, "withdraw", acting_user=acting_user, comment=comment
            )
            resolve_alert(
                rule=rules.BROADCAST_RULE,
                subject=moved,
                acting_user=acting_user,
                comment=comment or _("The broadcast was withdrawn."),
            )
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition="withdraw") from exc
    return moved


def do_update_broadcast(
    broadcast: Broadcast, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Broadcast:
    """Change a broadcast that has not gone out yet (a sent one is withdrawn and sent anew)."""
    if broadcast.state != BroadcastState.SCHEDULED:
        raise InvalidInput(_("A broadcast that went out is not changed: withdraw it and send a new one."))
    merged = {
        name: data.get(name, getattr(broadcast, name))
        for name in ("area", "title", "message", "severity", "starts_at", "ends_at", "ad")
    }
    checked = _broadcast_data(merged, timezone.now())
    with transaction.atomic():
        updated = services.do_update(broadcast, data=checked, acting_user=acting_user, comment=comment)
        if updated.starts_at <= timezone.now():
            updated = _publish(updated, acting_user=acting_user)
    return updated


def do_delete_broadcast(broadcast: Broadcast, *, acting_user: Any, comment: str = "") -> None:
    if broadcast.state != BroadcastState.SCHEDULED:
        raise InvalidInput(_("A broadcast that went out stays on record; withdraw it instead."))
    services.do_delete(broadcast, acting_user=acting_user, comment=comment)


def scan_broadcasts(now: dt.datetime | None = None) -> dict[str, int]:
    """Send the scheduled broadcasts whose window has begun and expire those whose window has ended.

    Each move is a transition on the row read (a second run, or a second worker, finds nothing to do).
    """
    now = now or timezone.now()
    counts = {"published": 0, "expired": 0}
    due = Broadcast.objects.filter(state=BroadcastState.SCHEDULED, starts_at__lte=now, ends_at__gt=now)
    for broadcast in due.select_related("area").order_by("starts_at"):
        if _move(broadcast, lambda b: _publish(b, acting_user=None)):
            counts["published"] += 1
    ended = Broadcast.objects.filter(state__in=[BroadcastState.SCHEDULED, BroadcastState.LIVE], ends_at__lte=now)
    for broadcast in ended.select_related("area").order_by("ends_at"):
        if _move(broadcast, _expire):
            counts["expired"] += 1
    return counts


def _expire(broadcast: Broadcast) -> Broadcast:
    moved: Broadcast = apply_transition(  # type: ignore[assignment]
        broadcast, "expire", acting_user=None, system=True, comment=_("The window ended.")
    )
    resolve_alert(rule=rules.BROADCAST_RULE, subject=moved, comment=_("The broadcast's window ended."))
    return moved


def _move(broadcast: Broadcast, step: Any) -> bool:
    try:
        with transaction.atomic():
            step(broadcast)
    except ConcurrentTransitionError:
        return False  # somebody else moved it first
    return True
