"""Writes of group work: plans on the checklists engine, visits, research days, shared resources, the
group special fund and school-building projects.

A rule's refusal is a ``GuardFailed`` (HTTP 409) naming the policy, the numbers and the source; bad
input is ``InvalidInput`` / ``ValidationError`` (400). Nothing is written when either is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import audit, services
from jiceng.core.checklists.models import ChecklistTemplate, ItemResult
from jiceng.core.checklists.services import do_create_campaign, do_mark_item, load_templates
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.models import AuditAction
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.scope import user_can
from jiceng.core.workflow import GuardFailed, Reason, policy_reason
from jiceng.education.choices import Subject
from jiceng.education.groupwork.choices import FundUse
from jiceng.education.groupwork.files import discard_file, store_upload
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
    current_membership_q,
    split_keys,
)
from jiceng.education.models import EducationGroup, School

CHECKLIST_SEED = Path(__file__).resolve().parent / "seed" / "checklists.json"
TEMPLATE_PREFIX = "education.group."
DEFAULT_TEMPLATE = "education.group.unified_plan"

FUND_MIN = "education.group_fund_min_yuan"
FUND_MAX = "education.group_fund_max_yuan"
ELIGIBLE_USES = "education.group_fund_eligible_uses"
RESOURCE_MAX_MB = "education.group_resource_max_megabytes"
RESOURCE_EXTENSIONS = "education.group_resource_extensions"

CENT = Decimal("0.01")


def load_plan_templates() -> tuple[int, int]:
    """The group-plan checklists (``seed/checklists.json``), created or updated by key."""
    return load_templates(CHECKLIST_SEED)


def plan_templates() -> Any:
    return ChecklistTemplate.objects.filter(key__startswith=TEMPLATE_PREFIX)


# --- helpers ----------------------------------------------------------------------------------
def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


def _not_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(_("The date %(day)s is in the future.") % {"day": day.isoformat()}, field=field)


def _policy(key: str, group: EducationGroup, on: dt.date) -> PolicyValue | None:
    """``key`` in force for the group's area on ``on``; ``None`` where the county sets no such rule."""
    try:
        return get_policy(key, area_path=group.area.path, on=on)
    except PolicyMissing:
        return None


def yuan(value: Any, field: str = "amount_yuan") -> Decimal:
    """A money amount: positive yuan with at most two decimals (``Decimal``, never float)."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidInput(_("“%(value)s” is not an amount in yuan.") % {"value": value}, field=field) from exc
    if not amount.is_finite() or amount <= 0:
        raise InvalidInput(_("An amount is a positive number of yuan."), field=field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InvalidInput(_("An amount in yuan has at most two decimals (fen)."), field=field)
    return amount.quantize(CENT)


def fmt_yuan(amount: Decimal | int | None) -> str:
    """``1234567.5`` → ``1,234,567.50``."""
    return f"{Decimal(amount or 0):,.2f}"


def member_schools(group: EducationGroup, on: dt.date | None = None) -> list[School]:
    """The group's current member schools, the lead school first (it counts even without a row)."""
    on = on or timezone.localdate()
    ids = list(
        group.memberships.filter(current_membership_q(on))
        .order_by("role", "school__name")
        .values_list("school_id", flat=True)
    )
    if group.lead_school_id not in ids:
        ids.insert(0, group.lead_school_id)
    schools = School.objects.select_related("area").in_bulk(ids)
    ordered = [schools[pk] for pk in ids if pk in schools]
    ordered.sort(key=lambda s: (s.pk != group.lead_school_id,))
    return ordered


def is_member(group: EducationGroup, school: School, on: dt.date | None = None) -> bool:
    return any(s.pk == school.pk for s in member_schools(group, on))


def _require_member(group: EducationGroup, school: School | None, field: str, on: dt.date | None = None) -> None:
    if school is not None and group is not None and not is_member(group, school, on):
        raise InvalidInput(
            _("%(school)s is not a member school of %(group)s.") % {"school": school, "group": group}, field=field
        )


def _subjects(text: Any, field: str = "subjects") -> str:
    keys = split_keys(text if isinstance(text, str) else ",".join(text or []))
    unknown = [k for k in keys if k not in Subject.values]
    if unknown:
        raise InvalidInput(_("Unknown subject(s): %(keys)s.") % {"keys": ", ".join(unknown)}, field=field)
    return ",".join(dict.fromkeys(keys))


def _allowed(user: Any, obj: Any, action: str) -> None:
    if user is not None and not user_can(user, obj, action):
        raise PermissionRefused(_("You do not have permission to do this."))


# --- group plans -------------------------------------------------------------------------------
def do_create_group_plan(*, data: Mapping[str, Any], acting_user: Any, is_demo: bool = False) -> GroupPlan:
    """A group's unified plan for a year, with one checklist run per current member school.

    ``data``: group, year, template (a group-plan checklist; default the four “统一” items), due_on,
    name (default “<group> <year>年统一计划”), notes."""
    data = dict(data)
    group = data.get("group")
    if group is None:
        raise InvalidInput(_("Choose the education group."), field="group")
    template = data.get("template") or plan_templates().filter(key=DEFAULT_TEMPLATE).first()
    if template is None or not template.key.startswith(TEMPLATE_PREFIX):
        raise InvalidInput(_("Choose one of the group-plan checklists."), field="template")
    year = data.get("year")
    due_on = data.get("due_on")
    if year and due_on and not (year <= due_on.year <= year + 1):
        raise InvalidInput(_("The plan of %(year)s is due in that school year.") % {"year": year}, field="due_on")
    data["template"] = template
    data.setdefault("name", "")
    if not data["name"]:
        data["name"] = f"{group.name} {year}年{template.name}"[:200]
    schools = member_schools(group)
    with transaction.atomic():
        plan = services.do_create(GroupPlan, data={**data, "is_demo": is_demo}, acting_user=acting_user)
        campaign = do_create_campaign(
            template,
            schools,
            name=plan.name,
            period=str(plan.year),
            due_on=plan.due_on,
            area_path=_common_path([group.area.path, *(s.area.path for s in schools)]),
            acting_user=acting_user,
        )
        plan.checklist_campaign = campaign
        GroupPlan.objects.filter(pk=plan.pk).update(checklist_campaign=campaign)
        audit.record(
            AuditAction.UPDATE,
            plan,
            actor=acting_user,
            after={"checklist_campaign": campaign.pk},
            comment=f"{len(schools)} member schools",
        )
    return plan


def _common_path(paths: Iterable[str]) -> str:
    """The deepest area path every one of ``paths`` lies in (a group's schools lie in its area as a rule)."""
    split = [[p for p in path.split("/") if p] for path in paths if path]
    common: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    return "/".join(common) + "/" if common else ""


def do_update_group_plan(plan: GroupPlan, *, data: Mapping[str, Any], acting_user: Any) -> GroupPlan:
    """Rename, re-date or annotate a plan; its group, year and checklist stay."""
    fixed = [name for name in ("group", "year", "template") if name in data and data[name] != getattr(plan, name)]
    if fixed:
        raise InvalidInput(_("A plan keeps its group, year and checklist; add a new plan instead."), field=fixed[0])
    data = {k: v for k, v in data.items() if k in ("name", "due_on", "notes")}
    with transaction.atomic():
        plan = services.do_update(plan, data=data, acting_user=acting_user)
        if plan.checklist_campaign_id and "due_on" in data:
            campaign = plan.checklist_campaign
            assert campaign is not None
            campaign.due_on = plan.due_on
            campaign.save(update_fields=["due_on"])
            campaign.runs.filter(completed_at__isnull=True).update(due_on=plan.due_on)
    return plan


def do_delete_group_plan(plan: GroupPlan, *, acting_user: Any) -> None:
    """Delete a plan no school has started on (its checklist goes with it)."""
    campaign = plan.checklist_campaign
    if campaign is not None and ItemResult.objects.filter(run__campaign=campaign).exclude(status="pending").exists():
        raise InvalidInput(_("Member schools have already marked items of this plan; it is kept."))
    with transaction.atomic():
        services.do_delete(plan, acting_user=acting_user)
        if campaign is not None:
            audit.record(AuditAction.DELETE, campaign, actor=acting_user, before=audit.snapshot(campaign))
            campaign.delete()


def do_mark_plan_item(
    plan: GroupPlan, *, result: ItemResult, status: str, evidence_note: str = "", acting_user: Any
) -> ItemResult:
    """A member school marks one item of its run (the checklists engine; evidence where required)."""
    if result.run.campaign_id != plan.checklist_campaign_id:
        raise InvalidInput(_("The item belongs to another plan."), field="result")
    _allowed(acting_user, result.run, "change")
    return do_mark_item(result, status=status, evidence_note=evidence_note, acting_user=acting_user)


# --- diagnosis visits and research days --------------------------------------------------------
def _check_visit(data: dict[str, Any], visit: DiagnosisVisit | None) -> dict[str, Any]:
    group = _value(data, visit, "group")
    day = _value(data, visit, "visited_on")
    _not_future(day, "visited_on")
    if group is not None and "team_school" in data and data["team_school"] is None:
        data["team_school"] = group.lead_school
    if group is not None and visit is None and not data.get("team_school"):
        data["team_school"] = group.lead_school
    team_school = _value(data, visit, "team_school")
    visited = _value(data, visit, "visited_school")
    campus = _value(data, visit, "visited_campus")
    _require_member(group, team_school, "team_school", day)
    _require_member(group, visited, "visited_school", day)
    if visited is not None and team_school is not None and visited.pk == team_school.pk and campus is None:
        raise InvalidInput(_("A diagnosis visit goes to another school or campus."), field="visited_school")
    if campus is not None and visited is not None and campus.school_id != visited.pk:
        raise InvalidInput(_("The campus belongs to another school."), field="visited_campus")
    if "subjects" in data:
        data["subjects"] = _subjects(data["subjects"])
    due, done = _value(data, visit, "follow_up_due_on"), _value(data, visit, "follow_up_done_on")
    if day and due and due < day:
        raise InvalidInput(_("The follow-up is due after the visit."), field="follow_up_due_on")
    if day and done and done < day:
        raise InvalidInput(_("The follow-up is done after the visit."), field="follow_up_done_on")
    _not_future(done, "follow_up_done_on")
    return data


def do_record_visit(*, data: Mapping[str, Any], acting_user: Any) -> DiagnosisVisit:
    """Record a teaching-diagnosis visit of the research team to a member school (or campus)."""
    return services.do_create(DiagnosisVisit, data=_check_visit(dict(data), None), acting_user=acting_user)


def do_update_visit(visit: DiagnosisVisit, *, data: Mapping[str, Any], acting_user: Any) -> DiagnosisVisit:
    return services.do_update(visit, data=_check_visit(dict(data), visit), acting_user=acting_user)


def _check_research_day(data: dict[str, Any], day_row: ResearchDay | None) -> dict[str, Any]:
    group = _value(data, day_row, "group")
    _not_future(_value(data, day_row, "held_on"), "held_on")
    _require_member(group, _value(data, day_row, "host_school"), "host_school", _value(data, day_row, "held_on"))
    if "subjects" in data:
        data["subjects"] = _subjects(data["subjects"])
    return data


def do_record_research_day(*, data: Mapping[str, Any], acting_user: Any) -> ResearchDay:
    """Record a centralised training / research day (集中研训) with its attendance."""
    return services.do_create(ResearchDay, data=_check_research_day(dict(data), None), acting_user=acting_user)


def do_update_research_day(row: ResearchDay, *, data: Mapping[str, Any], acting_user: Any) -> ResearchDay:
    return services.do_update(row, data=_check_research_day(dict(data), row), acting_user=acting_user)


# --- shared course resources -----------------------------------------------------------------
def resource_rules(group: EducationGroup, on: dt.date) -> tuple[PolicyValue, PolicyValue]:
    size = get_policy(RESOURCE_MAX_MB, area_path=group.area.path, on=on)
    extensions = get_policy(RESOURCE_EXTENSIONS, area_path=group.area.path, on=on)
    return size, extensions


def allowed_extensions(policy: PolicyValue) -> set[str]:
    return {("." + e.lstrip(".")).lower() for e in split_keys(policy.value)}


def do_share_resource(
    *,
    data: Mapping[str, Any],
    upload: Any,
    acting_user: Any,
    is_demo: bool = False,
) -> CourseResource:
    """A member school shares a file with its group: checked against the size and type policies,
    stored under ``MEDIA_ROOT`` with a random name, SHA-256 kept; visible to the group's members only."""
    data = dict(data)
    group, school = data.get("group"), data.get("school")
    if group is None:
        raise InvalidInput(_("Choose the education group."), field="group")
    if school is None:
        raise InvalidInput(_("Choose the school that shares the resource."), field="school")
    _require_member(group, school, "school")
    if upload is None:
        raise InvalidInput(_("Choose a file."), field="file")
    grade = data.get("grade")
    if grade is not None and grade not in school.grades:
        raise InvalidInput(_("%(school)s has no grade %(grade)s.") % {"school": school, "grade": grade}, field="grade")
    on = timezone.localdate()
    size_rule, type_rule = resource_rules(group, on)
    size = getattr(upload, "size", None) or 0
    if size > size_rule.value * 1024 * 1024:
        raise GuardFailed(
            [
                policy_reason(
                    size_rule,
                    _("The file is %(size)s MB; a shared resource may be at most %(value)s %(unit)s"),
                    size=round(size / 1024 / 1024, 1),
                )
            ]
        )
    allowed = allowed_extensions(type_rule)
    suffix = PurePosixPath(str(getattr(upload, "name", "") or "")).suffix.lower()
    if suffix not in allowed:
        raise GuardFailed(
            [
                policy_reason(
                    type_rule,
                    _("Files of type “%(suffix)s” are not shared here (accepted: %(value)s)"),
                    suffix=suffix or "?",
                )
            ]
        )
    stored = store_upload(upload, f"education_groupwork/resources/{group.pk}")
    uploader = acting_user if getattr(acting_user, "is_authenticated", False) else None
    try:
        return services.do_create(
            CourseResource,
            data={**data, **stored, "uploaded_by": uploader, "is_demo": is_demo},
            acting_user=acting_user,
            comment=f"file={stored['file']} sha256={stored['sha256']}",
        )
    except Exception:
        discard_file(stored["file"])
        raise


def do_update_resource(resource: CourseResource, *, data: Mapping[str, Any], acting_user: Any) -> CourseResource:
    """Correct a resource's title, kind, subject, grade or description (the file is never replaced)."""
    allowed = {"title", "kind", "subject", "grade", "description"}
    return services.do_update(resource, data={k: v for k, v in data.items() if k in allowed}, acting_user=acting_user)


def do_delete_resource(resource: CourseResource, *, acting_user: Any) -> None:
    name = resource.file.name
    with transaction.atomic():
        services.do_delete(resource, acting_user=acting_user, comment=f"file={name}")
        transaction.on_commit(lambda: discard_file(name))


# --- the group special fund --------------------------------------------------------------------
def fund_range(group: EducationGroup, on: dt.date) -> tuple[PolicyValue, PolicyValue] | None:
    low, high = _policy(FUND_MIN, group, on), _policy(FUND_MAX, group, on)
    return (low, high) if low is not None and high is not None else None


def _check_allocation(data: dict[str, Any], allocation: FundAllocation | None) -> dict[str, Any]:
    group = _value(data, allocation, "group")
    year = _value(data, allocation, "year")
    approved = _value(data, allocation, "approved_on")
    if "amount_yuan" in data:
        data["amount_yuan"] = yuan(data["amount_yuan"])
    amount = _value(data, allocation, "amount_yuan")
    if approved and year and not (year - 1 <= approved.year <= year):
        raise InvalidInput(
            _("The allocation for %(year)s is approved in %(year)s or the year before.") % {"year": year},
            field="approved_on",
        )
    if group is None or amount is None or approved is None:
        return data
    reasons: list[Reason] = []
    limits = fund_range(group, approved)
    if limits is not None:
        low, high = limits
        numbers = {"amount": fmt_yuan(amount), "group": group.name, "year": year}
        if amount < low.value:
            reasons.append(
                policy_reason(
                    low,
                    _(
                        "%(amount)s yuan for %(group)s in %(year)s is below the yearly minimum of "
                        "%(value)s %(unit)s per group"
                    ),
                    **numbers,
                )
            )
        if amount > high.value:
            reasons.append(
                policy_reason(
                    high,
                    _(
                        "%(amount)s yuan for %(group)s in %(year)s is above the yearly maximum of "
                        "%(value)s %(unit)s per group"
                    ),
                    **numbers,
                )
            )
    if allocation is not None:
        spent = spent_total(allocation)
        if amount < spent:
            reasons.append(
                Reason(
                    message=_(
                        "%(spent)s yuan of this allocation is already spent; it cannot be cut to %(amount)s yuan."
                    )
                    % {"spent": fmt_yuan(spent), "amount": fmt_yuan(amount)}
                )
            )
    if reasons:
        raise GuardFailed(reasons)
    return data


def do_allocate_fund(*, data: Mapping[str, Any], acting_user: Any) -> FundAllocation:
    """A group's yearly special-fund allocation, within the county's range (``education.group_fund_*``)."""
    return services.do_create(FundAllocation, data=_check_allocation(dict(data), None), acting_user=acting_user)


def do_update_allocation(allocation: FundAllocation, *, data: Mapping[str, Any], acting_user: Any) -> FundAllocation:
    if "group" in data and data["group"] != allocation.group:
        raise InvalidInput(_("An allocation stays with its group."), field="group")
    with transaction.atomic():
        locked = FundAllocation.objects.select_for_update(no_key=True).get(pk=allocation.pk)
        return services.do_update(locked, data=_check_allocation(dict(data), locked), acting_user=acting_user)


def do_delete_allocation(allocation: FundAllocation, *, acting_user: Any) -> None:
    services.do_delete(allocation, acting_user=acting_user)


def spent_total(allocation: FundAllocation, *, exclude_pk: int | None = None) -> Decimal:
    rows = FundSpending.objects.filter(allocation=allocation)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return Decimal(rows.aggregate(total=Sum("amount_yuan"))["total"] or 0).quantize(CENT)


def eligible_uses(group: EducationGroup, on: dt.date) -> tuple[list[str], PolicyValue | None]:
    rule = _policy(ELIGIBLE_USES, group, on)
    if rule is None:
        return list(FundUse.values), None
    return split_keys(rule.value), rule


def _check_spending(data: dict[str, Any], spending: FundSpending | None) -> dict[str, Any]:
    allocation: FundAllocation | None = _value(data, spending, "allocation")
    day = _value(data, spending, "spent_on")
    use = _value(data, spending, "use")
    _not_future(day, "spent_on")
    if "amount_yuan" in data:
        data["amount_yuan"] = yuan(data["amount_yuan"])
    amount = _value(data, spending, "amount_yuan")
    if allocation is None:
        return data
    if day is not None and day.year != allocation.year:
        raise InvalidInput(
            _("The %(year)s allocation is spent in %(year)s.") % {"year": allocation.year}, field="spent_on"
        )
    school = _value(data, spending, "school")
    _require_member(allocation.group, school, "school", day)
    reasons: list[Reason] = []
    if use and day:
        uses, rule = eligible_uses(allocation.group, day)
        if rule is not None and use not in uses:
            labels = dict(FundUse.choices)
            reasons.append(
                policy_reason(
                    rule,
                    _("The group fund may not pay for “%(use)s”; it pays for %(eligible)s"),
                    use=labels.get(use, use),
                    eligible="、".join(str(labels.get(k, k)) for k in uses),
                )
            )
    if amount is not None:
        spent = spent_total(allocation, exclude_pk=spending.pk if spending is not None else None)
        balance = allocation.amount_yuan - spent
        if amount > balance:
            reasons.append(
                Reason(
                    message=_(
                        "%(amount)s yuan is more than the balance of %(group)s's %(year)s allocation: "
                        "%(allocated)s yuan allocated, %(spent)s yuan spent, %(balance)s yuan left."
                    )
                    % {
                        "amount": fmt_yuan(amount),
                        "group": allocation.group.name,
                        "year": allocation.year,
                        "allocated": fmt_yuan(allocation.amount_yuan),
                        "spent": fmt_yuan(spent),
                        "balance": fmt_yuan(balance),
                    }
                )
            )
    if reasons:
        raise GuardFailed(reasons)
    return data


def do_record_spending(*, data: Mapping[str, Any], acting_user: Any) -> FundSpending:
    """A payment from a group's allocation: an eligible use (policy), never beyond the balance."""
    data = dict(data)
    allocation = data.get("allocation")
    recorder = acting_user if getattr(acting_user, "is_authenticated", False) else None
    with transaction.atomic():
        if allocation is not None:  # one payment at a time per allocation: the balance check holds
            data["allocation"] = FundAllocation.objects.select_for_update(no_key=True).get(pk=allocation.pk)
        return services.do_create(
            FundSpending, data={**_check_spending(data, None), "recorded_by": recorder}, acting_user=acting_user
        )


def do_update_spending(spending: FundSpending, *, data: Mapping[str, Any], acting_user: Any) -> FundSpending:
    data = dict(data)
    if "allocation" in data and data["allocation"] != spending.allocation:
        raise InvalidInput(_("A payment stays with its allocation; delete it and record it again."), field="allocation")
    with transaction.atomic():
        FundAllocation.objects.select_for_update(no_key=True).get(pk=spending.allocation_id)
        return services.do_update(spending, data=_check_spending(data, spending), acting_user=acting_user)


def do_delete_spending(spending: FundSpending, *, acting_user: Any) -> None:
    services.do_delete(spending, acting_user=acting_user)


# --- building projects ---------------------------------------------------------------------------
def _check_project(data: dict[str, Any], project: BuildingProject | None) -> dict[str, Any]:
    for name in ("investment_yuan",):
        if data.get(name) is not None:
            data[name] = yuan(data[name], field=name)
    _not_future(_value(data, project, "completed_on"), "completed_on")
    school = _value(data, project, "school")
    if school is not None and _value(data, project, "area") is None:
        data["area"] = school.area
    return data


def do_create_project(*, data: Mapping[str, Any], acting_user: Any) -> BuildingProject:
    """Register a school-building project (new build, extension, renovation)."""
    return services.do_create(BuildingProject, data=_check_project(dict(data), None), acting_user=acting_user)


def do_update_project(project: BuildingProject, *, data: Mapping[str, Any], acting_user: Any) -> BuildingProject:
    return services.do_update(project, data=_check_project(dict(data), project), acting_user=acting_user)


def do_delete_project(project: BuildingProject, *, acting_user: Any) -> None:
    services.do_delete(project, acting_user=acting_user)
