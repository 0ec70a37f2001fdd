"""Writes of inspections, campaigns and the hazard ledger (发现—录入—限期整改—复核—销号).

Every refusal of a business rule is a ``GuardFailed`` (HTTP 409, code ``guard_failed``) listing
every broken rule with its policy key, numbers and source; nothing is written when one is raised.
Bad input is ``InvalidInput`` (400). Transitions run through the workflow engine
(``apply_transition``: permission over the hazard's area, every guard, row lock, log, audit).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import uuid
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.alerts.services import raise_alert, resolve_alert
from jiceng.core.checklists.models import ItemStatus
from jiceng.core.checklists.services import do_create_campaign, do_mark_item
from jiceng.core.deadlines.calendar import add_workdays, provisional_years
from jiceng.core.deadlines.models import DeadlineState
from jiceng.core.deadlines.services import note_provisional_years
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.scope import user_can
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused, policy_reason
from jiceng.core.workflow.services import apply_transition, list_refusals
from jiceng.safety.hazards import rules
from jiceng.safety.hazards.choices import HazardSeverity, HazardStatus, InspectionKind, RecordingKind
from jiceng.safety.hazards.models import (
    CampaignTarget,
    Hazard,
    Inspection,
    InspectionRecording,
    RectificationEvidence,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
    Verification,
)
from jiceng.safety.models import ChemicalRole, SafetyProfile

OVERDUE_RULE = "safety.hazard_overdue"
UNLISTED_RULE = "safety.major_hazard_unlisted"

# target status → transition name (``rectifying`` from ``submitted`` is the failed verification)
TRANSITIONS = {
    HazardStatus.RECTIFYING: "accept",
    HazardStatus.SUBMITTED: "submit",
    HazardStatus.CLOSED: "close",
    HazardStatus.REPORTED: "reopen",
}

RECORDING_EXTENSIONS = {
    RecordingKind.AUDIO: {".mp3", ".m4a", ".aac", ".wav", ".amr", ".ogg"},
    RecordingKind.VIDEO: {".mp4", ".mov", ".avi", ".mkv", ".webm", ".3gp"},
    RecordingKind.PHOTO: {".jpg", ".jpeg", ".png", ".webp", ".heic"},
}
EVIDENCE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".mp4"}


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(_("The date %(day)s is in the future.") % {"day": day.isoformat()}, field=field)


# --- files ----------------------------------------------------------------------------------
def store_upload(upload: Any, folder: str, allowed: set[str]) -> dict[str, Any]:
    """Save an uploaded file under ``MEDIA_ROOT/<folder>/`` with a random name; its SHA-256 and size.

    Returns the stored name and facts; the caller deletes the file (``discard_file``) if its
    database write fails, so no orphan stays behind.
    """
    original = PurePosixPath(str(getattr(upload, "name", "") or "file")).name[:200]
    suffix = PurePosixPath(original).suffix.lower()
    if suffix not in allowed:
        raise InvalidInput(
            _("Files of type “%(suffix)s” are not accepted here (accepted: %(allowed)s).")
            % {"suffix": suffix or "?", "allowed": ", ".join(sorted(allowed))},
            field="file",
        )
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    name = default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}", upload)
    return {
        "file": name,
        "original_name": original,
        # from the extension, never from the client: the file is served back with this type
        "content_type": (mimetypes.guess_type(original)[0] or "application/octet-stream")[:100],
        "size_bytes": size,
        "sha256": digest.hexdigest(),
    }


def discard_file(name: str) -> None:
    if name and default_storage.exists(name):
        default_storage.delete(name)


def file_digest(name: str) -> str:
    """The SHA-256 of a stored file now (to show it is unchanged)."""
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- campaigns ------------------------------------------------------------------------------
def _validate_campaign(data: Mapping[str, Any], campaign: SafetyCampaign | None) -> None:
    starts, ends = _value(data, campaign, "starts_on"), _value(data, campaign, "ends_on")
    if starts and ends and ends < starts:
        raise InvalidInput(_("A campaign cannot end before it starts."), field="ends_on")
    rounds = _value(data, campaign, "rounds")
    if rounds is not None and rounds < 1:
        raise InvalidInput(_("A campaign has at least one round."), field="rounds")


def do_create_safety_campaign(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> SafetyCampaign:
    """Start a special campaign of an Area (its groups and targets are added afterwards)."""
    _validate_campaign(data, None)
    return services.do_create(SafetyCampaign, data=data, acting_user=acting_user, comment=comment)


def do_update_safety_campaign(
    campaign: SafetyCampaign, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> SafetyCampaign:
    if "area" in data and data["area"] != campaign.area and campaign.targets.exists():
        raise InvalidInput(_("A campaign with targets stays in its area."), field="area")
    _validate_campaign(data, campaign)
    return services.do_update(campaign, data=data, acting_user=acting_user, comment=comment)


def do_add_target_group(
    campaign: SafetyCampaign, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> TargetGroup:
    """Add a group of targeted enterprises (criteria and checklist) to a campaign."""
    if acting_user is not None and not user_can(acting_user, campaign, "change"):
        raise PermissionRefused(_("You do not have permission to do this."))
    roles = [r.strip() for r in str(data.get("chemical_roles", "") or "").split(",") if r.strip()]
    unknown = [r for r in roles if r not in ChemicalRole.values or not r]
    if unknown:
        raise InvalidInput(
            _("Unknown hazardous-chemical role(s): %(roles)s.") % {"roles": ", ".join(unknown)}, field="chemical_roles"
        )
    return services.do_create(
        TargetGroup,
        data={**data, "campaign": campaign, "chemical_roles": ",".join(roles)},
        acting_user=acting_user,
        comment=comment,
    )


def target_profiles(group: TargetGroup) -> Any:
    """The safety profiles a group's criteria select inside its campaign's area."""
    profiles = SafetyProfile.objects.filter(area__path__startswith=group.campaign.area.path)
    if group.is_deep_well_casting:
        profiles = profiles.filter(is_deep_well_casting=True)
    if group.has_explosive_dust:
        profiles = profiles.filter(has_explosive_dust=True)
    if group.role_list():
        profiles = profiles.filter(chemical_role__in=group.role_list())
    sectors = list(group.sectors.values_list("pk", flat=True))
    if sectors:
        profiles = profiles.filter(sector__in=sectors)
    if group.key_enterprises_only:
        profiles = profiles.filter(enterprise__is_key=True)
    return profiles.select_related("enterprise__area").order_by("area__path", "enterprise_id")


def do_assign_targets(group: TargetGroup, *, acting_user: Any, is_demo: bool = False) -> list[CampaignTarget]:
    """Target every enterprise the group's criteria select (once): one ``CampaignTarget`` each and,
    when the group has a checklist, one checklist campaign with a run per enterprise."""
    campaign = group.campaign
    if acting_user is not None and not user_can(acting_user, campaign, "change"):
        raise PermissionRefused(_("You do not have permission to do this."))
    if group.assigned_at is not None:
        raise InvalidInput(_("The targets of “%(group)s” are already assigned.") % {"group": group.name})
    enterprises = [profile.enterprise for profile in target_profiles(group)]
    with transaction.atomic():
        runs: dict[str, Any] = {}
        if group.template_id is not None:
            checklist = do_create_campaign(
                group.template,
                enterprises,
                name=f"{campaign.name} · {group.name}"[:200],
                period=str(campaign.starts_on.year),
                due_on=group.due_on or campaign.ends_on or campaign.starts_on,
                area_path=campaign.area.path,
                acting_user=acting_user,
            )
            runs = {run.object_id: run for run in checklist.runs.all()}
            group.checklist_campaign = checklist
        targets = [
            CampaignTarget(
                campaign=campaign,
                group=group,
                enterprise=enterprise,
                area=enterprise.area,
                run=runs.get(str(enterprise.pk)),
                is_demo=is_demo,
            )
            for enterprise in enterprises
        ]
        created = services.do_bulk_create(
            CampaignTarget, targets, acting_user=acting_user, comment=str(group), validate=False
        )
        group.assigned_at = timezone.now()
        services.do_update(
            group,
            data={"checklist_campaign": group.checklist_campaign, "assigned_at": group.assigned_at},
            acting_user=acting_user,
            comment=_("%(n)d targets assigned") % {"n": len(created)},
        )
    return created


# --- inspections ----------------------------------------------------------------------------
def _validate_inspection(data: Mapping[str, Any], inspection: Inspection | None) -> None:
    day = _value(data, inspection, "inspected_on")
    _not_future(day, "inspected_on")
    campaign = _value(data, inspection, "campaign")
    number = _value(data, inspection, "round") or 1
    if campaign is None:
        return
    if number > campaign.rounds:
        raise InvalidInput(
            _("“%(campaign)s” has %(rounds)d round(s); round %(round)d does not exist.")
            % {"campaign": campaign, "rounds": campaign.rounds, "round": number},
            field="round",
        )
    if day is not None and (day < campaign.starts_on or (campaign.ends_on and day > campaign.ends_on)):
        raise InvalidInput(
            _("%(day)s is outside the campaign “%(campaign)s” (%(start)s – %(end)s).")
            % {"day": day, "campaign": campaign, "start": campaign.starts_on, "end": campaign.ends_on or "…"},
            field="inspected_on",
        )


def do_record_inspection(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Inspection:
    """Record one enterprise-inspection (家次)."""
    _validate_inspection(data, None)
    recorder = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return services.do_create(
        Inspection, data={**data, "recorded_by": recorder}, acting_user=acting_user, comment=comment
    )


def do_update_inspection(
    inspection: Inspection, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> Inspection:
    if "enterprise" in data and data["enterprise"] != inspection.enterprise and inspection.hazards.exists():
        raise InvalidInput(_("An inspection with hazards stays with its enterprise."), field="enterprise")
    _validate_inspection(data, inspection)
    return services.do_update(inspection, data=data, acting_user=acting_user, comment=comment)


def do_attach_recording(
    inspection: Inspection,
    *,
    kind: str,
    upload: Any,
    recorded_at: dt.datetime,
    recorded_by: str,
    acting_user: Any,
    is_demo: bool = False,
) -> InspectionRecording:
    """Attach an audio, video or photo file of the enforcement action (可视化执法): stored under
    ``MEDIA_ROOT``, SHA-256 computed on upload and kept. Its size is limited by
    ``safety.enforcement.recording_max_megabytes``."""
    if kind not in RecordingKind.values:
        raise InvalidInput(_("Unknown recording kind “%(kind)s”.") % {"kind": kind}, field="kind")
    if acting_user is not None and not user_can(acting_user, inspection, "change"):
        raise PermissionRefused(_("You do not have permission to do this."))
    if recorded_at > timezone.now():
        raise InvalidInput(_("A recording cannot be made in the future."), field="recorded_at")
    limit = rules.policy(rules.RECORDING_MAX_MEGABYTES, inspection, timezone.localdate())
    size = getattr(upload, "size", None) or 0
    if size > limit.value * 1024 * 1024:
        raise GuardFailed(
            [
                policy_reason(
                    limit,
                    _("The file is %(size)s MB; a recording may be at most %(value)s MB"),
                    size=round(size / 1024 / 1024, 1),
                )
            ]
        )
    stored = store_upload(
        upload, f"safety_hazards/recordings/{inspection.pk}", RECORDING_EXTENSIONS[RecordingKind(kind)]
    )
    uploader = acting_user if getattr(acting_user, "is_authenticated", False) else None
    try:
        return services.do_create(
            InspectionRecording,
            data={
                **stored,
                "inspection": inspection,
                "kind": kind,
                "recorded_at": recorded_at,
                "recorded_by": recorded_by,
                "uploaded_by": uploader,
                "is_demo": is_demo,
            },
            acting_user=acting_user,
            comment=f"file={stored['file']} sha256={stored['sha256']}",
        )
    except Exception:
        discard_file(stored["file"])
        raise


# --- hazards: entry ----------------------------------------------------------------------------
def _hazard_data(data: Mapping[str, Any], hazard: Hazard | None) -> dict[str, Any]:
    data = dict(data)
    enterprise = _value(data, hazard, "enterprise")
    inspection = _value(data, hazard, "inspection")
    found = _value(data, hazard, "found_on")
    _not_future(found, "found_on")
    if inspection is not None:
        if enterprise is not None and inspection.enterprise_id != enterprise.pk:
            raise InvalidInput(_("The inspection was of another enterprise."), field="inspection")
        if found is not None and found < inspection.inspected_on:
            raise InvalidInput(_("A hazard is not found before the inspection that found it."), field="found_on")
        if inspection.campaign_id and not _value(data, hazard, "campaign"):
            data["campaign"] = inspection.campaign
    campaign = _value(data, hazard, "campaign")
    item = _value(data, hazard, "checklist_item")
    if item is not None:
        templates = set(campaign.groups.values_list("template", flat=True)) if campaign is not None else set()
        if item.template_id not in templates:
            raise InvalidInput(_("The checklist item is not one of the campaign's checklists."), field="checklist_item")
    return data


def do_report_hazard(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Hazard:
    """Enter a finding online (录入). It starts ``reported``; ``entered_on_time`` records whether it
    was entered within ``safety.hazards.online_entry_workdays`` of being found."""
    if data.get("enterprise") is None or data.get("found_on") is None:
        raise InvalidInput(_("A hazard needs its enterprise and the date it was found."), field="enterprise")
    data = _hazard_data(data, None)
    # ``entered_at`` is now, unless a caller records an earlier entry (an import of the online ledger)
    entered_at = data.get("entered_at") or timezone.now()
    if entered_at > timezone.now():
        raise InvalidInput(_("A hazard cannot be entered in the future."), field="entered_at")
    if timezone.localdate(entered_at) < data["found_on"]:
        raise InvalidInput(_("A hazard is not entered before it was found."), field="entered_at")
    probe = Hazard(enterprise=data["enterprise"], found_on=data["found_on"])
    probe.area_id = data["enterprise"].area_id
    data["entered_at"] = entered_at
    data["entered_on_time"] = rules.entered_on_time(probe, timezone.localdate(entered_at))
    data["reported_by"] = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return services.do_create(Hazard, data=data, acting_user=acting_user, comment=comment)


def do_update_hazard(hazard: Hazard, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> Hazard:
    """Correct a finding while it is still ``reported`` (before the rectification is ordered)."""
    if hazard.status != HazardStatus.REPORTED:
        raise InvalidInput(_("A hazard is corrected only before its rectification is ordered."))
    if "enterprise" in data and data["enterprise"] != hazard.enterprise:
        raise InvalidInput(_("A hazard stays with its enterprise."), field="enterprise")
    data = _hazard_data(data, hazard)
    if "found_on" in data:
        probe = Hazard(enterprise=hazard.enterprise, found_on=data["found_on"])
        probe.area_id = hazard.area_id
        data["entered_on_time"] = rules.entered_on_time(probe, timezone.localdate(hazard.entered_at))
    return services.do_update(hazard, data=data, acting_user=acting_user, comment=comment)


def do_delete_hazard(hazard: Hazard, *, acting_user: Any, comment: str = "") -> None:
    """Delete a finding entered by mistake: only while ``reported``."""
    if hazard.status != HazardStatus.REPORTED:
        raise InvalidInput(_("Only a hazard whose rectification has not been ordered can be deleted."))
    with transaction.atomic():
        for rule in (UNLISTED_RULE, OVERDUE_RULE):
            resolve_alert(rule=rule, subject=hazard, acting_user=acting_user, comment=_("The hazard was deleted."))
        services.do_delete(hazard, acting_user=acting_user, comment=comment)


def do_save_plan(hazard: Hazard, *, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> RectificationPlan:
    """Record or correct a major hazard's plan (五落实 and the supervising unit) before acceptance."""
    if hazard.severity != HazardSeverity.MAJOR:
        raise InvalidInput(_("Only a major hazard has a five-in-place rectification plan."))
    if hazard.status != HazardStatus.REPORTED:
        raise InvalidInput(_("The plan is fixed once the rectification is ordered."))
    data = {k: v for k, v in data.items() if k != "hazard"}
    plan = RectificationPlan.objects.filter(hazard=hazard).first()
    if plan is None:
        return services.do_create(
            RectificationPlan, data={**data, "hazard": hazard}, acting_user=acting_user, comment=comment
        )
    return services.do_update(plan, data=data, acting_user=acting_user, comment=comment)


# --- hazards: the workflow -------------------------------------------------------------------
def transition_name(hazard: Hazard, to: str) -> str:
    if to == HazardStatus.RECTIFYING and hazard.status == HazardStatus.SUBMITTED:
        return "reject"
    if to not in TRANSITIONS:
        raise InvalidInput(_("Unknown status “%(to)s”.") % {"to": to}, field="to")
    return TRANSITIONS[HazardStatus(to)]


def refusals(
    hazard: Hazard, to: str, *, acting_user: Any, on: dt.date | None = None, due_on: dt.date | None = None
) -> list[Reason]:
    """What would stop ``hazard`` reaching ``to`` on ``on`` (empty: it may proceed)."""
    on = on or timezone.localdate()
    name = transition_name(hazard, to)
    fresh = Hazard._base_manager.select_related("area").get(pk=hazard.pk)
    found = list_refusals(fresh, name, acting_user=acting_user, on=on)
    if name == "accept" and not found:
        found += rules.deadline_for(fresh, on=on, due_on=due_on)[1]
    return found


def do_transition(
    hazard: Hazard,
    *,
    to: str,
    on: dt.date | None = None,
    acting_user: Any,
    comment: str = "",
    due_on: dt.date | None = None,
    system: bool = False,
) -> Hazard:
    """Move ``hazard`` to status ``to`` on ``on`` (the date of the step).

    - ``rectifying`` from ``reported`` orders the rectification (限期整改) with its deadline:
      ``due_on`` for an ordinary hazard (default and limit ``general_workdays`` workdays), the plan's
      deadline for a major one, which is then listed for supervision;
    - ``submitted`` submits the rectification with its evidence;
    - ``closed`` (销号) / ``rectifying`` from ``submitted`` follow a passed / failed verification
      (``do_verify`` does both steps at once);
    - ``reported`` from ``closed`` reopens it.
    """
    on = on or timezone.localdate()
    name = transition_name(hazard, to)
    if on > timezone.localdate():
        raise GuardFailed(
            [Reason(message=_("The date %(on)s is in the future.") % {"on": on.isoformat()})], transition=name
        )
    if due_on is not None and due_on < on:
        raise InvalidInput(_("A deadline cannot be before the rectification order."), field="due_on")
    args: tuple[Any, ...] = ()
    if name == "accept" and on < hazard.found_on:
        raise InvalidInput(_("A rectification is not ordered before the hazard was found."), field="on")
    if name == "accept":
        fresh = Hazard._base_manager.select_related("area").get(pk=hazard.pk)
        reasons = list_refusals(fresh, name, acting_user=acting_user, on=on, system=system)
        deadline, extra = rules.deadline_for(fresh, on=on, due_on=due_on)
        if reasons or extra:
            raise GuardFailed(reasons + extra, transition=name)
        args = (deadline,)
    try:
        with transaction.atomic(durable=not transaction.get_connection().in_atomic_block):
            moved = apply_transition(
                hazard, name, acting_user=acting_user, comment=comment, on=on, args=args, system=system
            )
            after_transition(moved, name, acting_user=acting_user, on=on)
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition=name) from exc
    hazard.refresh_from_db()
    return hazard


def after_transition(hazard: Any, name: str, *, acting_user: Any, on: dt.date) -> None:
    """The side effects of a move, in its transaction: alerts raised or resolved, the calendar's
    provisional years noted, the checklist item of a closed hazard ticked."""
    if name == "accept":
        resolve_alert(rule=UNLISTED_RULE, subject=hazard, acting_user=acting_user, comment=_("Rectification ordered."))
        if hazard.deadline_provisional and hazard.due_on:
            note_provisional_years(provisional_years(on, hazard.due_on))
    elif name == "close":
        resolve_alert(rule=OVERDUE_RULE, subject=hazard, acting_user=acting_user, comment=_("Verified and closed."))
        tick_checklist_item(hazard, acting_user=acting_user)
    elif name == "reject" and hazard.is_overdue(on):
        state = hazard.deadline_state if hazard.deadline_state == DeadlineState.ESCALATED else DeadlineState.OVERDUE
        raise_overdue_alert(hazard, state, on=on)


def tick_checklist_item(hazard: Hazard, *, acting_user: Any) -> None:
    """A closed hazard found against a campaign's checklist item ticks that item of the
    enterprise's run once no other hazard on the item is open (the item is rectified)."""
    if hazard.checklist_item_id is None or hazard.campaign_id is None:
        return
    still_open = (
        Hazard.objects.filter(
            campaign_id=hazard.campaign_id,
            enterprise_id=hazard.enterprise_id,
            checklist_item_id=hazard.checklist_item_id,
        )
        .exclude(status=HazardStatus.CLOSED)
        .exists()
    )
    if still_open:
        return
    target = (
        CampaignTarget.objects.filter(
            campaign_id=hazard.campaign_id,
            enterprise_id=hazard.enterprise_id,
            group__template=hazard.checklist_item.template_id,
            run__isnull=False,
        )
        .select_related("run")
        .first()
    )
    if target is None:
        return
    result = target.run.results.filter(item_id=hazard.checklist_item_id).exclude(status=ItemStatus.DONE).first()
    if result is not None:
        do_mark_item(
            result,
            status=ItemStatus.DONE,
            evidence_note=_("Hazard #%(id)s rectified, verified and closed on %(on)s.")
            % {"id": hazard.pk, "on": hazard.closed_on},
            acting_user=acting_user,
        )


def do_record_evidence(
    hazard: Hazard,
    *,
    description: str,
    upload: Any = None,
    acting_user: Any,
    comment: str = "",
    is_demo: bool = False,
) -> RectificationEvidence:
    """Record what the enterprise did (a text, optionally a file whose SHA-256 is kept); it counts
    for the current rectification round."""
    hazard = Hazard._base_manager.select_related("area").get(pk=hazard.pk)  # the current status and round
    if hazard.status != HazardStatus.RECTIFYING:
        raise InvalidInput(_("Evidence is recorded while the hazard is being rectified."))
    if not description.strip():
        raise InvalidInput(_("Say what was done."), field="description")
    stored: dict[str, Any] = {}
    if upload is not None:
        stored = store_upload(upload, f"safety_hazards/evidence/{hazard.pk}", EVIDENCE_EXTENSIONS)
        stored.pop("size_bytes")
    recorder = acting_user if getattr(acting_user, "is_authenticated", False) else None
    try:
        return services.do_create(
            RectificationEvidence,
            data={
                **stored,
                "hazard": hazard,
                "round": hazard.rectification_round,
                "description": description.strip(),
                "recorded_by": recorder,
                "is_demo": is_demo,
            },
            acting_user=acting_user,
            comment=comment or (f"file={stored['file']} sha256={stored['sha256']}" if stored else ""),
        )
    except Exception:
        discard_file(stored.get("file", ""))
        raise


def do_verify(
    hazard: Hazard,
    *,
    passed: bool,
    notes: str = "",
    on: dt.date | None = None,
    acting_user: Any,
    officer_name: str = "",
) -> Verification:
    """Verify a submitted rectification (复核): the row and the move in one transaction —
    passed → closed (销号), failed → back to rectifying. Needs ``verify_hazard`` over the hazard."""
    on = on or timezone.localdate()
    hazard = Hazard._base_manager.select_related("area").get(pk=hazard.pk)  # the current status and round
    if acting_user is not None and not user_can(acting_user, hazard, "verify_hazard"):
        raise PermissionRefused(_("Verifying a rectification needs the verify permission."))
    if hazard.status != HazardStatus.SUBMITTED:
        raise InvalidInput(_("Only a submitted rectification is verified."))
    _not_future(on, "verified_on")
    if hazard.submitted_on and on < hazard.submitted_on:
        raise InvalidInput(_("A rectification is verified after it was submitted."), field="verified_on")
    if not passed and not notes.strip():
        raise InvalidInput(_("Say why the verification failed."), field="notes")
    officer = acting_user if getattr(acting_user, "is_authenticated", False) else None
    name = officer_name or (getattr(officer, "display_name", "") or (officer.get_username() if officer else ""))
    with transaction.atomic(durable=not transaction.get_connection().in_atomic_block):
        verification = services.do_create(
            Verification,
            data={
                "hazard": hazard,
                "officer": officer,
                "officer_name": str(name)[:50],
                "verified_on": on,
                "passed": passed,
                "round": hazard.rectification_round,
                "notes": notes,
            },
            acting_user=acting_user,
        )
        do_transition(
            hazard,
            to=HazardStatus.CLOSED if passed else HazardStatus.RECTIFYING,
            on=on,
            acting_user=acting_user,
            comment=notes,
        )
    return verification


# --- alerts: the deadline scanner's hook and the unlisted-major scan ------------------------
SEVERITY = {
    (DeadlineState.WARNED, HazardSeverity.ORDINARY): "blue",
    (DeadlineState.WARNED, HazardSeverity.MAJOR): "blue",
    (DeadlineState.OVERDUE, HazardSeverity.ORDINARY): "yellow",
    (DeadlineState.OVERDUE, HazardSeverity.MAJOR): "orange",
    (DeadlineState.ESCALATED, HazardSeverity.ORDINARY): "orange",
    (DeadlineState.ESCALATED, HazardSeverity.MAJOR): "red",
}


def overdue_explanation(hazard: Hazard, state: str, on: dt.date) -> tuple[str, dict[str, Any]]:
    """What the alert says: the hazard, the enterprise, the deadline, the rule and its source."""
    if hazard.severity == HazardSeverity.MAJOR:
        rule = rules.policy(rules.MAJOR_MAX_MONTHS, hazard, hazard.accepted_on or on)
        basis = _(
            "deadline set by its five-in-place plan, at most %(value)s %(unit)s after it was found, %(source)s"
        ) % {
            "value": rule.value,
            "unit": rule.unit,
            "source": rule.cite(),
        }
    else:
        rule = rules.policy(rules.GENERAL_WORKDAYS, hazard, hazard.accepted_on or on)
        basis = _("%(days)s workdays from the rectification order of %(ordered)s, %(source)s") % {
            "days": hazard.due_workdays if hazard.due_workdays is not None else rule.value,
            "ordered": hazard.accepted_on,
            "source": rule.cite(),
        }
    escalate = rules.policy(rules.ESCALATE_WORKDAYS, hazard, on)
    numbers = {
        "severity": hazard.get_severity_display(),
        "hazard": hazard.description[:60],
        "enterprise": hazard.enterprise.name,
        "due": hazard.due_on,
        "basis": basis,
    }
    if state == DeadlineState.WARNED:
        text = _("%(severity)s “%(hazard)s” at %(enterprise)s is due for rectification on %(due)s (%(basis)s).")
    elif state == DeadlineState.ESCALATED:
        numbers["escalate"] = escalate.value
        numbers["escalate_source"] = escalate.cite()
        text = _(
            "%(severity)s “%(hazard)s” at %(enterprise)s was due for rectification on %(due)s (%(basis)s) and is "
            "still not rectified %(escalate)s workdays later (%(escalate_source)s): escalated."
        )
    else:
        numbers["days"] = (on - hazard.due_on).days if hazard.due_on else 0
        text = _(
            "%(severity)s “%(hazard)s” at %(enterprise)s was due for rectification on %(due)s (%(basis)s) and is "
            "%(days)d day(s) overdue."
        )
    evidence = {
        "policy": rule.key,
        "value": rule.value,
        "source": rule.cite(),
        "due_on": hazard.due_on.isoformat() if hazard.due_on else None,
        "severity": hazard.severity,
        "state": str(state),
        "enterprise": hazard.enterprise.name,
        "provisional": hazard.deadline_provisional,
    }
    return text % numbers, evidence


def raise_overdue_alert(hazard: Hazard, state: str, *, on: dt.date | None = None) -> Any:
    on = on or timezone.localdate()
    explanation, evidence = overdue_explanation(hazard, state, on)
    return raise_alert(
        rule=OVERDUE_RULE,
        subject=hazard,
        severity=SEVERITY[(DeadlineState(state), HazardSeverity(hazard.severity))],
        explanation=explanation,
        evidence=evidence,
        area_path=hazard.area.path,
    )


def hazard_moved(state: str, rows: list[Hazard]) -> None:
    """Deadline scanner hook: one alert per hazard whose deadline is near, passed or far passed;
    the same open alert rises in severity (blue → yellow/orange → orange/red). A rectification
    submitted in time raises nothing while it awaits verification."""
    ids = [row.pk for row in rows]
    on = timezone.localdate()
    for hazard in Hazard.objects.filter(pk__in=ids).select_related("enterprise", "area").order_by("pk"):
        if hazard.status in (HazardStatus.REPORTED, HazardStatus.CLOSED) or hazard.due_on is None:
            continue
        if hazard.status == HazardStatus.SUBMITTED and hazard.submitted_on and hazard.submitted_on <= hazard.due_on:
            continue
        raise_overdue_alert(hazard, state, on=on)


def scan_unlisted_major_hazards(on: dt.date | None = None) -> int:
    """Alert on major hazards found more than ``safety.rectification.major_listing_workdays`` ago
    that are still not accepted (no complete five-in-place plan, not listed for supervision)."""
    on = on or timezone.localdate()
    raised = 0
    waiting = Hazard.objects.filter(severity=HazardSeverity.MAJOR, status=HazardStatus.REPORTED)
    for hazard in waiting.select_related("enterprise", "area").iterator():
        rule = rules.policy(rules.LISTING_WORKDAYS, hazard, on)
        due = add_workdays(hazard.found_on, rule.value)
        if on <= due:
            continue
        missing = [r.message for r in rules.FiveInPlace().reasons(hazard, on=on)]
        explanation = policy_reason(
            rule,
            _(
                "Major hazard “%(hazard)s” at %(enterprise)s was found on %(found)s and is still not listed for "
                "supervision with its five-in-place plan (due within %(value)s workdays, by %(due)s)"
            ),
            hazard=hazard.description[:60],
            enterprise=hazard.enterprise.name,
            found=hazard.found_on.isoformat(),
            due=due.isoformat(),
        ).message
        alert = raise_alert(
            rule=UNLISTED_RULE,
            subject=hazard,
            severity="orange",
            explanation=explanation,
            evidence={"policy": rule.key, "found_on": hazard.found_on.isoformat(), "missing": missing},
            area_path=hazard.area.path,
        )
        raised += alert is not None
    return raised


__all__ = [
    "GuardFailed",
    "InspectionKind",
    "do_add_target_group",
    "do_assign_targets",
    "do_attach_recording",
    "do_create_safety_campaign",
    "do_delete_hazard",
    "do_record_evidence",
    "do_record_inspection",
    "do_report_hazard",
    "do_save_plan",
    "do_transition",
    "do_update_hazard",
    "do_update_inspection",
    "do_update_safety_campaign",
    "do_verify",
    "hazard_moved",
    "refusals",
    "scan_unlisted_major_hazards",
]
