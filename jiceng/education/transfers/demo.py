"""A school year's transfers (插班/转学, E08) in 东昌府区, the district of seed 003.

About ``TRANSFERS`` applications of school year 2026 (scaled with ``ctx.scale``), read from the base
demo's schools, classes and students:

- most approved inside the window (the month after the school year starts), each moving its
  student through ``education.services.do_move`` after every rule was read for it — so no approved
  transfer ever lands in a class at the cap or a grade with a class over it;
- some rejected by the bureau with the rules recorded: into a class at the cap or a grade with a
  class over it, lodged after the window closed (a paper application: through Jiceng such an
  application is refused at once and nothing is written), or for a student whose registration and
  attendance differ (the base demo's 人籍分离 and 空挂学籍 students);
- a few still awaiting the bureau.

The rows are written in their final state (``is_demo``); a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.services import do_bulk_create
from jiceng.directory.demo import scaled
from jiceng.directory.models import Area
from jiceng.education import sizes
from jiceng.education.choices import EnrollmentReason
from jiceng.education.models import AttendanceStatus, Enrollment, School, SchoolClass
from jiceng.education.services import do_move
from jiceng.education.transfers import rules
from jiceng.education.transfers.choices import TransferState
from jiceng.education.transfers.models import Transfer

DISTRICT_CODE = "371502000000"  # 东昌府区
SCHOOL_YEAR = 2026
SCHOOL_ADMIN_TOWNSHIP = "371502105000"  # 郑家镇: the base demo's school administrator login has one pending there
TRANSFERS = 150  # a year's applications at scale 1.0
SHARES = {"approved": 0.75, "cap": 0.08, "window": 0.08, "pending": 0.04}  # the rest: registration mismatches
FIGURE = "transfers (东昌府区, 2026)"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


class Builder:
    def __init__(self, ctx: Any, district: Area) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.district = district
        self.rows: list[Transfer] = []
        self.used: set[int] = set()
        classes = sizes.with_sizes(
            SchoolClass.objects.filter(year=SCHOOL_YEAR, area__path__startswith=district.path).select_related(
                "school__area"
            )
        ).order_by("id")
        self.classes = list(classes)
        self.by_grade: dict[tuple[str, int], list[SchoolClass]] = defaultdict(list)
        for school_class in self.classes:
            self.by_grade[(school_class.school.stage, school_class.grade)].append(school_class)
        self.window: rules.Window | None = None
        first = School.objects.filter(area__path__startswith=district.path).select_related("area").first()
        if first is not None:
            self.window = rules.window_of(first, SCHOOL_YEAR, timezone.localdate())

    # --- picking ------------------------------------------------------------------------------
    def enrollments(self, *, matching: bool) -> list[Enrollment]:
        """Open enrollments of the year in the district (registration matching attendance or not)."""
        qs = Enrollment.objects.filter(
            ended_on__isnull=True, school_class__year=SCHOOL_YEAR, area__path__startswith=self.district.path
        ).select_related("student__person", "school", "school_class__school__area")
        absent = Q(student__attendance_status=AttendanceStatus.ABSENT)
        same = Q(student__attending_school=F("school"))
        qs = qs.filter(same & ~absent) if matching else qs.filter(~same | absent)
        return list(qs.order_by("id"))

    def targets(self, enrollment: Enrollment) -> list[SchoolClass]:
        """Classes of the same grade and stage at the other schools."""
        school_class = enrollment.school_class
        return [
            c
            for c in self.by_grade[(school_class.school.stage, school_class.grade)]
            if c.school_id != enrollment.school_id
        ]

    def probe(self, enrollment: Enrollment, to_class: SchoolClass, on: dt.date, applied_on: dt.date) -> Transfer:
        return Transfer(
            student=enrollment.student,
            from_enrollment=enrollment,
            from_school=enrollment.school,
            to_class=to_class,
            to_school=to_class.school,
            area=to_class.school.area,
            on=on,
            applied_on=applied_on,
            is_demo=True,
        )

    def day_inside(self) -> dt.date:
        assert self.window is not None
        span = (self.window.closes_on - self.window.opens_on).days
        return self.window.opens_on + dt.timedelta(days=self.rng.randint(0, span))

    def dates(self, on: dt.date) -> dt.date:
        """The application date: a few days before ``on``, not before the window opens."""
        assert self.window is not None
        return max(self.window.opens_on, on - dt.timedelta(days=self.rng.randint(0, 6)))

    def decide(self, row: Transfer, status: str, reasons: list[Any], note: str) -> Transfer:
        decided = add_workdays(row.applied_on, self.rng.randint(1, 4))
        row.status = status
        row.decided_at = _at(decided, self.rng.randint(9, 17))
        row.decision_note = note
        row.refusal_reasons = [rules.reason_record(reason) for reason in reasons]
        if status == TransferState.APPROVED:
            row.handover_due_on = rules.handover_due(row, decided)[0]
        return row

    # --- the kinds ----------------------------------------------------------------------------
    def approved(self, count: int, candidates: list[Enrollment]) -> int:
        made = 0
        for enrollment in candidates:
            if made >= count:
                break
            if enrollment.student_id in self.used:
                continue
            options = self.targets(enrollment)
            self.rng.shuffle(options)
            on = self.day_inside()
            applied_on = self.dates(on)
            for to_class in options[:6]:
                row = self.probe(enrollment, to_class, on, applied_on)
                if rules.APPLY.reasons(row) or rules.APPROVE.reasons(row):
                    continue
                self.decide(row, TransferState.APPROVED, [], "符合转入条件，同意转入。")
                do_move(row.student, to_class, on=on, reason=EnrollmentReason.TRANSFER, acting_user=None)
                self.rows.append(row)
                self.used.add(enrollment.student_id)
                made += 1
                break
        return made

    def refused(self, count: int, candidates: list[Enrollment], kind: str) -> int:
        made = 0
        for enrollment in candidates:
            if made >= count:
                break
            if enrollment.student_id in self.used:
                continue
            options = self.targets(enrollment)
            self.rng.shuffle(options)
            for to_class in options[:12]:
                on = self.day_inside()
                applied_on = self.dates(on)
                if kind == "window":
                    assert self.window is not None
                    applied_on = self.window.closes_on + dt.timedelta(days=self.rng.randint(1, 20))
                    on = applied_on + dt.timedelta(days=self.rng.randint(0, 5))
                row = self.probe(enrollment, to_class, on, applied_on)
                reasons = rules.APPLY.reasons(row)
                keys = {reason.policy_key for reason in reasons}
                wanted = {"window": rules.WINDOW_MONTHS, "registration": rules.MATCHES_ATTENDANCE}
                if wanted[kind] not in keys:
                    continue
                self.decide(row, TransferState.REJECTED, reasons, "不符合转入条件，不予批准。")
                self.rows.append(row)
                self.used.add(enrollment.student_id)
                made += 1
                break
        return made

    def full(self, count: int, candidates: list[Enrollment]) -> int:
        """Applications into the classes now at (or over) the cap, or of a grade with one over it."""
        by_grade: dict[tuple[str, int], list[Enrollment]] = defaultdict(list)
        for enrollment in candidates:
            if enrollment.student_id not in self.used:
                key = (enrollment.school_class.school.stage, enrollment.school_class.grade)
                by_grade[key].append(enrollment)
        ids = [c.pk for c in self.classes]
        now = sizes.with_sizes(SchoolClass.objects.filter(pk__in=ids).select_related("school__area")).order_by("id")
        full = [c for c in now if c.size >= sizes.cap_policy(c.school, self.window.opens_on).value]  # type: ignore[union-attr]
        made = 0
        for to_class in full:
            for enrollment in by_grade[(to_class.school.stage, to_class.grade)]:
                if made >= count:
                    return made
                if enrollment.student_id in self.used or enrollment.school_id == to_class.school_id:
                    continue
                on = self.day_inside()
                row = self.probe(enrollment, to_class, on, self.dates(on))
                reasons = rules.APPLY.reasons(row)
                if sizes.CAP not in {reason.policy_key for reason in reasons}:
                    continue
                self.decide(row, TransferState.REJECTED, reasons, "不符合转入条件，不予批准。")
                self.rows.append(row)
                self.used.add(enrollment.student_id)
                made += 1
                break
        return made

    def pending(self, count: int, candidates: list[Enrollment], *, focus: str = "") -> int:
        """Applications still awaiting the bureau, filed near the window's end (with ``focus``, an
        area path: only into its schools — the demo school administrator's township)."""
        made = 0
        for enrollment in candidates:
            if made >= count:
                break
            if enrollment.student_id in self.used:
                continue
            assert self.window is not None
            on = self.window.closes_on - dt.timedelta(days=self.rng.randint(0, 3))
            options = [c for c in self.targets(enrollment) if c.school.area.path.startswith(focus)]
            for to_class in options[:6]:
                row = self.probe(enrollment, to_class, on, self.dates(on))
                if rules.APPLY.reasons(row):
                    continue
                self.rows.append(row)
                self.used.add(enrollment.student_id)
                made += 1
                break
        return made


def build(ctx: Any) -> None:
    district = Area.objects.filter(code=DISTRICT_CODE).first()
    if district is None or not SchoolClass.objects.filter(year=SCHOOL_YEAR, area__path__startswith=district.path):
        ctx.figures[FIGURE] = "no base education demo; nothing added"
        return
    if Transfer.objects.filter(is_demo=True, area__path__startswith=district.path).exists():
        ctx.figures[FIGURE] = "demo already present; nothing added"
        return
    builder = Builder(ctx, district)
    if builder.window is None:
        ctx.figures[FIGURE] = "no school calendar of 2026; nothing added"
        return
    total = scaled(TRANSFERS, ctx.scale)
    matching = builder.enrollments(matching=True)
    ctx.rng.shuffle(matching)
    counts = {kind: max(1, round(total * share)) for kind, share in SHARES.items()}
    made = {"approved": builder.approved(counts["approved"], matching)}
    # classes at the cap: the base demo keeps some exactly there, and the approvals filled others
    at_cap = [e for e in matching if e.student_id not in builder.used]
    made["rejected (cap)"] = builder.full(counts["cap"], at_cap)
    made["rejected (window)"] = builder.refused(counts["window"], at_cap, "window")
    made["rejected (registration)"] = builder.refused(
        max(1, total - sum(counts.values())), builder.enrollments(matching=False), "registration"
    )
    rest = [e for e in matching if e.student_id not in builder.used]
    township = Area.objects.filter(code=SCHOOL_ADMIN_TOWNSHIP).first()
    focused = builder.pending(1, rest, focus=township.path) if township is not None else 0
    made["pending"] = focused + builder.pending(counts["pending"] - focused, rest)
    do_bulk_create(Transfer, builder.rows, acting_user=None, comment="demo")
    ctx.figures[FIGURE] = ", ".join(f"{kind} {n}" for kind, n in made.items())
