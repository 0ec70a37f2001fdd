"""Writes and computations of catchment allocation: zones, enrolment plans and their capacities,
allocation runs (with what-if runs and publication) and intake records.

A run's refusal of a rule is a ``GuardFailed`` (409) naming the rule; bad input (an unknown school,
too many preferences, a village outside the county) is ``InvalidInput`` (400). Nothing is written
when either is raised. The matching itself is ``engine.compute_run`` (pure, no ORM).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import PolicyMissing, PolicyValue, get_policy
from jiceng.core.workflow import GuardFailed, Reason, TransitionRefused
from jiceng.core.workflow.services import apply_transition
from jiceng.directory.models import Area, AreaLevel, Person
from jiceng.education.allocation import engine
from jiceng.education.allocation.choices import ENTRY_GRADES, PlacementVia, RunMode, RunState
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord, Placement
from jiceng.education.models import School, SchoolYear, Student
from jiceng.education.sizes import cap_policy

MAX_PREFERENCES = "education.allocation.max_preferences"
TIER_ORDER = "education.allocation.tier_order"
SEED_BITS = 48


# --- reading the rules -----------------------------------------------------------------------
def school_year_start(area_path: str, year: int) -> dt.date:
    """The first day of school year ``year`` in the calendar of the nearest area above (1 September
    when no calendar is recorded)."""
    calendars = SchoolYear.objects.filter(year=year).select_related("area")
    best: tuple[int, dt.date] | None = None
    for row in calendars:
        if area_path.startswith(row.area.path) and (best is None or len(row.area.path) > best[0]):
            best = (len(row.area.path), row.starts_on)
    return best[1] if best else dt.date(year, 9, 1)


def max_preferences_policy(area_path: str, on: dt.date) -> PolicyValue:
    return get_policy(MAX_PREFERENCES, area_path=area_path, on=on)


def tier_order(area_path: str, on: dt.date) -> list[str]:
    """The priority categories after catchment residence, in order (policy ``tier_order``)."""
    value = str(get_policy(TIER_ORDER, area_path=area_path, on=on).value)
    return [part for part in value.split(">") if part]


def plan_capacity(plan: EnrolmentPlan, on: dt.date | None = None) -> int:
    """Seats of an enrolment plan: planned classes × the class-size cap in force for the school's
    area at the start of the school year."""
    on = on or school_year_start(plan.school.area.path, plan.year)
    return int(plan.planned_classes * cap_policy(plan.school, on).value)


def plan_capacity_or_none(plan: EnrolmentPlan) -> int | None:
    """``plan_capacity``, or ``None`` where no cap policy is in force (lists show a dash)."""
    try:
        return plan_capacity(plan)
    except PolicyMissing:
        return None


def list_capacities(area: Area, year: int, grade: int) -> dict[int, int]:
    """School id → seats, for every enrolment plan of ``year`` and ``grade`` in ``area``'s subtree."""
    plans = EnrolmentPlan.objects.filter(year=year, grade=grade, area__path__startswith=area.path).select_related(
        "school__area"
    )
    on = school_year_start(area.path, year)
    return {plan.school_id: plan_capacity(plan, on) for plan in plans}


def zone_snapshot(area: Area, grade: int, overrides: Mapping[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """Zone id (text) → name, kind, schools and villages, for the zones of ``grade`` in ``area``'s
    subtree, with ``overrides`` (zone id → ``{"villages": [...], "schools": [...]}``) applied."""
    zones = CatchmentZone.objects.filter(grade=grade, area__path__startswith=area.path).prefetch_related(
        "schools", "villages"
    )
    snapshot = {
        str(zone.pk): {
            "name": zone.name,
            "kind": zone.kind,
            "schools": sorted(s.pk for s in zone.schools.all()),
            "villages": sorted(v.pk for v in zone.villages.all()),
        }
        for zone in zones
    }
    for zone_id, change in (overrides or {}).items():
        if str(zone_id) not in snapshot:
            raise InvalidInput(
                _("Zone %(zone)s is not a zone of this run.") % {"zone": zone_id}, field="zone_overrides"
            )
        if not isinstance(change, Mapping):
            raise InvalidInput(_('A zone override is {"villages": [...], "schools": [...]}.'), field="zone_overrides")
        for part in ("villages", "schools"):
            if part in change:
                snapshot[str(zone_id)][part] = sorted(_ids(change[part], "zone_overrides"))
    return snapshot


def resident_schools(snapshot: Mapping[str, Mapping[str, Any]]) -> dict[int, frozenset[int]]:
    """Village id → the schools its residents are tier 1 at."""
    found: dict[int, set[int]] = {}
    for zone in snapshot.values():
        for village in zone["villages"]:
            found.setdefault(village, set()).update(zone["schools"])
    return {village: frozenset(schools) for village, schools in found.items()}


def _ids(values: Any, field: str) -> list[int]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise InvalidInput(_("A list of ids is needed."), field=field)
    return list(values)


# --- zones and plans -------------------------------------------------------------------------
def _check_zone(data: Mapping[str, Any], zone: CatchmentZone | None) -> None:
    area = data.get("area") or (zone.area if zone else None)
    if area is None:
        raise InvalidInput(_("A zone belongs to an area."), field="area")
    for school in data.get("schools") or []:
        if not school.area.path.startswith(area.path):
            raise InvalidInput(_("%(school)s is not in %(area)s.") % {"school": school, "area": area}, field="schools")
    for village in data.get("villages") or []:
        if village.level != AreaLevel.VILLAGE or not village.path.startswith(area.path):
            raise InvalidInput(
                _("%(village)s is not a village or community of %(area)s.") % {"village": village, "area": area},
                field="villages",
            )


def do_create_zone(*, data: Mapping[str, Any], acting_user: Any) -> CatchmentZone:
    """Add a catchment zone (its schools and villages must lie in its area)."""
    _check_zone(data, None)
    with transaction.atomic():
        return services.do_create(CatchmentZone, data=data, acting_user=acting_user)


def do_update_zone(zone: CatchmentZone, *, data: Mapping[str, Any], acting_user: Any) -> CatchmentZone:
    _check_zone(data, zone)
    with transaction.atomic():
        return services.do_update(zone, data=data, acting_user=acting_user)


def do_delete_zone(zone: CatchmentZone, *, acting_user: Any) -> None:
    with transaction.atomic():
        services.do_delete(zone, acting_user=acting_user)


def do_create_plan(*, data: Mapping[str, Any], acting_user: Any) -> EnrolmentPlan:
    with transaction.atomic():
        return services.do_create(EnrolmentPlan, data=data, acting_user=acting_user)


def do_update_plan(plan: EnrolmentPlan, *, data: Mapping[str, Any], acting_user: Any) -> EnrolmentPlan:
    with transaction.atomic():
        return services.do_update(plan, data=data, acting_user=acting_user)


def do_delete_plan(plan: EnrolmentPlan, *, acting_user: Any) -> None:
    with transaction.atomic():
        services.do_delete(plan, acting_user=acting_user)


def do_create_intake(*, data: Mapping[str, Any], acting_user: Any) -> IntakeRecord:
    with transaction.atomic():
        return services.do_create(IntakeRecord, data=data, acting_user=acting_user)


# --- runs ------------------------------------------------------------------------------------
def _applicant_rows(
    area: Area,
    applicants: Sequence[Mapping[str, Any]],
    *,
    limit: int,
    residents: Mapping[int, frozenset[int]],
    zones: Mapping[str, Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Validate the cohort and resolve each applicant to its Placement input fields."""
    if not applicants:
        raise InvalidInput(_("A run needs at least one applicant."), field="applicants")
    students = {
        s.pk: s
        for s in Student.objects.filter(pk__in=[a["student"] for a in applicants if a.get("student")]).select_related(
            "person__area"
        )
    }
    persons = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[a["person"] for a in applicants if a.get("person")]).select_related(
            "area"
        )
    }
    area_ids = {a["home_area"] for a in applicants if isinstance(a.get("home_area"), int)}
    area_codes = {a["home_area"] for a in applicants if isinstance(a.get("home_area"), str)}
    homes = {x.pk: x for x in Area.objects.filter(pk__in=area_ids)}
    homes_by_code = {x.code: x for x in Area.objects.filter(code__in=area_codes)}
    named = {s for a in applicants for s in a.get("preferences") or [] if isinstance(s, int)}
    schools = set(School.objects.filter(pk__in=named, area__path__startswith=area.path).values_list("pk", flat=True))
    zone_order = sorted(zones.values(), key=lambda z: (z["kind"] != "single", z["name"]))
    rows = []
    for i, raw in enumerate(applicants):
        field = f"applicants[{i}]"
        person = None
        student = None
        if raw.get("student"):
            student = students.get(raw["student"])
            if student is None:
                raise InvalidInput(_("Student %(id)s does not exist.") % {"id": raw["student"]}, field=field)
            person = student.person
        elif raw.get("person"):
            person = persons.get(raw["person"])
            if person is None:
                raise InvalidInput(_("Person %(id)s does not exist.") % {"id": raw["person"]}, field=field)
        home_raw = raw.get("home_area")
        home = homes.get(home_raw) if isinstance(home_raw, int) else homes_by_code.get(home_raw) if home_raw else None
        if home is None and person is not None:
            home = person.area
        if home is None:
            raise InvalidInput(_("Each applicant needs a home village."), field=field)
        if not home.path.startswith(area.path):
            raise InvalidInput(
                _("The home of applicant %(n)s (%(home)s) is outside %(area)s.")
                % {"n": i + 1, "home": home, "area": area},
                field=field,
            )
        name = (person.name if person else "") or str(raw.get("name") or "").strip()
        if not name:
            raise InvalidInput(_("Each applicant needs a name."), field=field)
        preferences = raw.get("preferences")
        if preferences in (None, []):
            preferences = []
            for zone in zone_order:  # 就近入学: the schools of the zones the home village belongs to
                if home.pk in zone["villages"]:
                    preferences += [s for s in zone["schools"] if s not in preferences]
            preferences = preferences[:limit]
        preferences = _ids(preferences, field)
        if len(preferences) > limit:
            raise InvalidInput(
                _("Applicant %(n)s names %(count)s schools; at most %(limit)s are allowed.")
                % {"n": i + 1, "count": len(preferences), "limit": limit},
                field=field,
            )
        if len(set(preferences)) != len(preferences):
            raise InvalidInput(_("Applicant %(n)s names a school twice.") % {"n": i + 1}, field=field)
        unknown = [s for s in preferences if s not in schools and s not in residents.get(home.pk, ())]
        if unknown:
            raise InvalidInput(
                _("Applicant %(n)s names schools that are not in %(area)s: %(ids)s.")
                % {"n": i + 1, "area": area, "ids": ", ".join(map(str, unknown))},
                field=field,
            )
        rows.append(
            {
                "index": i,
                "person": person,
                "student": student,
                "name": name[:50],
                "home_area": home,
                "preferences": preferences,
                "is_policy_care": bool(raw.get("is_policy_care")),
                "sibling_schools": _ids(raw.get("sibling_schools") or [], field),
                "teacher_parent_schools": _ids(raw.get("teacher_parent_schools") or [], field),
            }
        )
    return rows


def _check_capacity_overrides(area: Area, overrides: Mapping[str, Any]) -> dict[int, int]:
    result = {}
    for key, value in (overrides or {}).items():
        try:
            school_id = int(key)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("Capacity overrides are {school id: seats}."), field="capacity_overrides") from exc
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise InvalidInput(_("Seats are a whole number, 0 or more."), field="capacity_overrides")
        result[school_id] = value
    known = set(School.objects.filter(pk__in=result, area__path__startswith=area.path).values_list("pk", flat=True))
    if set(result) - known:
        raise InvalidInput(
            _("Schools not in %(area)s: %(ids)s.")
            % {"area": area, "ids": ", ".join(map(str, sorted(set(result) - known)))},
            field="capacity_overrides",
        )
    return result


def _check_diversions(area: Area, diversions: Mapping[str, Any]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for key, receivers in (diversions or {}).items():
        try:
            result[int(key)] = _ids(receivers, "diversions")
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("Diversions are {school id: [receiving school ids]}."), field="diversions") from exc
    named = set(result) | {s for row in result.values() for s in row}
    known = set(School.objects.filter(pk__in=named, area__path__startswith=area.path).values_list("pk", flat=True))
    if named - known:
        raise InvalidInput(
            _("Schools not in %(area)s: %(ids)s.") % {"area": area, "ids": ", ".join(map(str, sorted(named - known)))},
            field="diversions",
        )
    return result


def do_create_run(
    *,
    area: Area,
    year: int,
    grade: int,
    applicants: Sequence[Mapping[str, Any]],
    acting_user: Any,
    seed: int | None = None,
    mode: str = RunMode.STANDARD,
    capacity_overrides: Mapping[str, Any] | None = None,
    zone_overrides: Mapping[str, Any] | None = None,
    diversions: Mapping[str, Any] | None = None,
    name: str = "",
    notes: str = "",
    base_run: AllocationRun | None = None,
    is_demo: bool = False,
) -> AllocationRun:
    """Allocate a cohort of ``area`` for ``year`` and entry ``grade`` and store the run (a draft),
    its inputs and every placement with its explanation.

    ``applicants``: ``{"student": id}``, ``{"person": id}`` or ``{"name", "home_area": id or code}``,
    each with optional ``preferences`` (school ids, best first; none: the schools of the home
    village's zones), ``is_policy_care``, ``sibling_schools`` and ``teacher_parent_schools``.
    ``seed`` (none: drawn now and recorded) decides the lottery."""
    if grade not in ENTRY_GRADES:
        raise InvalidInput(_("A run is for grade 1 or grade 7."), field="grade")
    if mode not in RunMode.values:
        raise InvalidInput(_("Choose a mode."), field="mode")
    if seed is None:
        seed = secrets.randbits(SEED_BITS)
    on = school_year_start(area.path, year)
    limit = int(max_preferences_policy(area.path, on).value)
    order = tier_order(area.path, on)
    overrides = _check_capacity_overrides(area, capacity_overrides or {})
    diverted = _check_diversions(area, diversions or {})
    if mode == RunMode.WHOLE_GRADE and not diverted:
        raise InvalidInput(
            _("Whole-grade diversion names the diverting schools and their receivers."), field="diversions"
        )
    capacities = {**list_capacities(area, year, grade), **overrides}
    zones = zone_snapshot(area, grade, zone_overrides)
    residents = resident_schools(zones)
    rows = _applicant_rows(area, applicants, limit=limit, residents=residents, zones=zones)
    paths = dict(School.objects.filter(pk__in=capacities).values_list("pk", "area__path"))
    school_inputs = {s: engine.SchoolInput(capacity=c, path=paths.get(s, "")) for s, c in capacities.items()}
    inputs = [
        engine.ApplicantInput(
            home_area=row["home_area"].pk,
            home_path=row["home_area"].path,
            preferences=row["preferences"],
            is_policy_care=row["is_policy_care"],
            sibling_schools=frozenset(row["sibling_schools"]),
            teacher_parent_schools=frozenset(row["teacher_parent_schools"]),
        )
        for row in rows
    ]
    started = time.perf_counter()
    result = engine.compute_run(
        inputs, school_inputs, resident_schools=residents, tier_order=order, seed=seed, mode=mode, diversions=diverted
    )
    elapsed = (time.perf_counter() - started) * 1000
    placed = sum(1 for o in result.outcomes if o.school is not None)
    data = {
        "name": name or _("Allocation %(year)s grade %(grade)s") % {"year": year, "grade": grade},
        "area": area,
        "year": year,
        "grade": grade,
        "mode": mode,
        "seed": seed,
        "base_run": base_run,
        "capacity_overrides": {str(k): v for k, v in overrides.items()},
        "zone_overrides": dict(zone_overrides or {}),
        "diversions": {str(k): v for k, v in diverted.items()},
        "notes": notes,
        "is_demo": is_demo,
    }
    with transaction.atomic():
        run = services.do_create(AllocationRun, data=data, acting_user=acting_user)
        run.capacity_snapshot = {str(k): v for k, v in capacities.items()}
        run.zones_snapshot = zones
        run.school_figures = {str(k): v for k, v in result.schools.items()}
        run.max_preferences = limit
        run.tier_order = ">".join(order)
        run.applicant_count = len(rows)
        run.placed_count = placed
        run.unplaced_count = len(rows) - placed
        run.elapsed_ms = round(elapsed, 3)
        run.save(update_fields=[*AllocationRun.derived_fields, "updated_at"])
        # The placements are the run's computed result (its inputs are audited with the run):
        # one bulk insert, no audit entry per row.
        Placement.objects.bulk_create(
            [
                Placement(
                    run=run,
                    area_id=run.area_id,
                    index=row["index"],
                    person=row["person"],
                    student=row["student"],
                    name=row["name"],
                    home_area=row["home_area"],
                    preferences=row["preferences"],
                    is_policy_care=row["is_policy_care"],
                    sibling_schools=row["sibling_schools"],
                    teacher_parent_schools=row["teacher_parent_schools"],
                    lottery=outcome.lottery,
                    school_id=outcome.school,
                    choice=outcome.choice if outcome.via == PlacementVia.PREFERENCE else None,
                    tier=outcome.tier,
                    via=outcome.via,
                    passed_over=outcome.passed_over,
                    is_demo=is_demo,
                )
                for row, outcome in zip(rows, result.outcomes, strict=True)
            ],
            batch_size=2000,
        )
    return run


def cohort_of(run: AllocationRun) -> list[dict[str, Any]]:
    """The applicants of ``run`` as ``do_create_run`` takes them (same order, so same lottery)."""
    return [
        {
            "person": p.person_id,
            "student": p.student_id,
            "name": p.name,
            "home_area": p.home_area_id,
            "preferences": p.preferences,
            "is_policy_care": p.is_policy_care,
            "sibling_schools": p.sibling_schools,
            "teacher_parent_schools": p.teacher_parent_schools,
        }
        for p in run.placements.order_by("index")
    ]


def do_create_what_if(
    base: AllocationRun,
    *,
    acting_user: Any,
    capacity_overrides: Mapping[str, Any] | None = None,
    zone_overrides: Mapping[str, Any] | None = None,
    mode: str | None = None,
    diversions: Mapping[str, Any] | None = None,
    name: str = "",
    is_demo: bool = False,
) -> AllocationRun:
    """A draft re-run of ``base``'s cohort with its seed and changed capacities, zones or mode.
    ``base`` (published or not) is not touched."""
    merged_capacity = {**base.capacity_overrides, **{str(k): v for k, v in (capacity_overrides or {}).items()}}
    merged_zones = {**base.zone_overrides, **{str(k): v for k, v in (zone_overrides or {}).items()}}
    return do_create_run(
        area=base.area,
        year=base.year,
        grade=base.grade,
        applicants=cohort_of(base),
        acting_user=acting_user,
        seed=base.seed,
        mode=mode or base.mode,
        capacity_overrides=merged_capacity,
        zone_overrides=merged_zones,
        diversions=diversions if diversions is not None else base.diversions,
        name=name or _("What-if of %(run)s") % {"run": base.name},
        base_run=base,
        is_demo=is_demo,
    )


def published_run(area: Area, year: int, grade: int) -> AllocationRun | None:
    return AllocationRun.objects.filter(area=area, year=year, grade=grade, state=RunState.PUBLISHED).first()


def do_publish_run(run: AllocationRun, *, acting_user: Any, comment: str = "") -> AllocationRun:
    """Publish a draft run (audited, with its transition log). Refused while another run of the same
    area, year and grade is published: withdraw that one first."""
    other = (
        AllocationRun.objects.filter(area_id=run.area_id, year=run.year, grade=run.grade, state=RunState.PUBLISHED)
        .exclude(pk=run.pk)
        .first()
    )
    if other is not None:
        raise GuardFailed(
            [
                Reason(
                    message=_("“%(other)s” is already published for %(year)s grade %(grade)s; withdraw it first.")
                    % {"other": other.name, "year": run.year, "grade": run.grade}
                )
            ],
            transition="publish",
        )
    try:
        with transaction.atomic():
            moved = apply_transition(run, "publish", acting_user=acting_user, comment=comment)
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition="publish") from exc
    return moved  # type: ignore[return-value]


def do_withdraw_run(run: AllocationRun, *, acting_user: Any, comment: str = "") -> AllocationRun:
    try:
        with transaction.atomic():
            moved = apply_transition(run, "withdraw", acting_user=acting_user, comment=comment)
    except TransitionRefused as exc:
        if isinstance(exc, GuardFailed):
            raise
        raise GuardFailed(exc.reasons, transition="withdraw") from exc
    return moved  # type: ignore[return-value]


def do_delete_run(run: AllocationRun, *, acting_user: Any) -> None:
    """Delete a draft run and its placements (a published or withdrawn run stays on record)."""
    if run.state != RunState.DRAFT:
        raise GuardFailed([Reason(message=_("Only a draft run can be deleted."))], transition="delete")
    with transaction.atomic():
        run.placements.all().delete()
        services.do_delete(run, acting_user=acting_user)


# --- comparisons and trends ------------------------------------------------------------------
def compare_runs(base: AllocationRun, other: AllocationRun) -> list[dict[str, Any]]:
    """Applicants (matched by position in the cohort) whose school differs between two runs."""
    before = dict(base.placements.values_list("index", "school_id"))
    rows = other.placements.values_list("index", "name", "school_id", "tier", "via")
    return [
        {"index": i, "name": n, "before": before.get(i), "after": s, "tier": t, "via": v}
        for i, n, s, t, v in rows
        if before.get(i) != s
    ]


def intake_trend(records: QuerySet[IntakeRecord] | Iterable[IntakeRecord]) -> list[dict[str, Any]]:
    """Per school: admitted by year, the first and last years and the growth % between them."""
    by_school: dict[int, dict[str, Any]] = {}
    for record in records:
        row = by_school.setdefault(record.school_id, {"school": record.school, "years": {}})
        row["years"][record.year] = row["years"].get(record.year, 0) + record.admitted
    result = []
    for row in by_school.values():
        years = sorted(row["years"])
        first, last = row["years"][years[0]], row["years"][years[-1]]
        row.update(
            first_year=years[0],
            last_year=years[-1],
            first=first,
            last=last,
            growth_pct=growth_pct(first, last) if len(years) > 1 else None,
        )
        result.append(row)
    return sorted(result, key=lambda r: r["school"].name)


def growth_pct(first: int, last: int) -> float | None:
    """``(last − first) / first`` in percent, one decimal (``None`` when ``first`` is 0)."""
    return round((last - first) * 100 / first, 1) if first else None
