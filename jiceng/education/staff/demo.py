"""Teacher exchange, recruitment and mentoring in the demo counties (E02–E04, E12).

Reads the base education demo (schools, teachers, groups of 莘县 and 东昌府区) and adds:

- 莘县: approved county exchange plans for 2024 and 2025 (the history that makes "recently rotated"
  matter) and an approved 2026 plan, each generated at the policy quota; a draft 2026 plan of
  莘县实验小学教育集团 (generated lead ↔ member swaps, plus the group's backbone teachers sent to its two
  campuses — E01: 「先后派出40余名骨干教师」, scaled);
- 东昌府区: the four recruitment rounds 2017–2020 with their posts by school and subject, the hires
  adding up to the seed's figures (2,780: 1,277 established, 1,503 contract — E12; these totals do not
  scale: they are numbers in rows, not rows);
- 青蓝 mentor pairs in both counties (about 40 at scale 1.0 each).

Plans are generated and approved through the services (as the system), so every rule holds.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

from jiceng.core.policies.services import get_policy
from jiceng.core.services import do_bulk_create
from jiceng.core.workflow import GuardFailed
from jiceng.directory.demo import scaled
from jiceng.education.choices import Employment, MemberRole
from jiceng.education.models import Campus, EducationGroup, School, Teacher
from jiceng.education.staff import rules, services
from jiceng.education.staff.choices import AssignmentRole, Direction
from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)

COUNTY_CODE = "371522000000"  # 莘县
DISTRICT_CODE = "371502000000"  # 东昌府区
HISTORY_YEARS = (2024, 2025)
PLAN_YEAR = 2026
FIRST_GROUP = "莘县实验小学教育集团"
CAMPUS_TEACHERS = 42  # E01: 「先后派出40余名骨干教师」 (40-odd: the demo takes 42 at scale 1.0)
RECRUITMENT_YEARS = (2017, 2018, 2019, 2020)
RECRUITMENT_WEIGHTS = (0.22, 0.24, 0.26, 0.28)  # not in the seed: the four rounds grew a little each year
MENTOR_PAIRS = 40  # per county at scale 1.0 (not in the seed)


def build(ctx: Any) -> None:
    if RotationPlan.objects.filter(is_demo=True).exists() or RecruitmentRound.objects.filter(is_demo=True).exists():
        ctx.figures["education staff"] = "demo already present; nothing added"
        return
    if not School.objects.filter(is_demo=True).exists():
        ctx.figures["education staff"] = "no demo schools; nothing added"
        return
    started = time.perf_counter()
    rng = random.Random(f"{ctx.rng.random()}-education-staff")
    county = ctx.area(COUNTY_CODE)
    build_exchange(ctx, rng, county)
    build_recruitment(ctx, rng, ctx.area(DISTRICT_CODE))
    pairs = sum(build_mentor_pairs(ctx, rng, ctx.area(code)) for code in (COUNTY_CODE, DISTRICT_CODE))
    ctx.figures["mentor pairs"] = pairs
    ctx.figures["education staff seconds"] = round(time.perf_counter() - started, 1)


# --- exchange plans ---------------------------------------------------------------------------
def _dates(year: int) -> dict[str, dt.date]:
    """A history year without a calendar row takes 1 September – 15 July (the demo's calendar)."""
    return {"starts_on": dt.date(year, 9, 1), "ends_on": dt.date(year + 1, 7, 15)}


def build_exchange(ctx: Any, rng: random.Random, county: Any) -> None:
    for year in HISTORY_YEARS:
        dates = {} if services.school_year_dates(county, year) else _dates(year)
        plan = services.do_create_plan(data={"area": county, "year": year, "is_demo": True, **dates}, acting_user=None)
        plan, _proposal, _seconds = services.do_generate_plan(plan, seed=rng.randrange(2**31), acting_user=None)
        approve_or_keep_draft(ctx, plan)
    group = EducationGroup.objects.filter(area=county, name=FIRST_GROUP, is_demo=True).first()
    if group is not None:
        build_group_plan(ctx, rng, group)
    plan = services.do_create_plan(data={"area": county, "year": PLAN_YEAR, "is_demo": True}, acting_user=None)
    plan, _proposal, seconds = services.do_generate_plan(plan, seed=rng.randrange(2**31), acting_user=None)
    figures = rules.plan_figures(plan, with_coverage=False)
    approve_or_keep_draft(ctx, plan)
    ctx.figures["exchange plan 莘县 2026"] = (
        f"{figures.exchanged} / {figures.full_time} full-time teachers ({figures.percent}%, required "
        f"{figures.required}); generated in {seconds:.2f} s"
    )


def approve_or_keep_draft(ctx: Any, plan: Any) -> bool:
    """Approve a generated plan; a plan the rules refuse stays a draft, its reasons in the figures.

    At very small demo scales a county may have too few same-subject teachers on both sides for the
    generator to reach the quota without uncovering a subject; the bureau would then adjust by hand."""
    try:
        services.do_approve_plan(plan, acting_user=None, comment="演示数据")
    except GuardFailed as exc:
        ctx.figures[f"exchange plan {plan.year} left as a draft"] = "；".join(r.message for r in exc.reasons)
        return False
    return True


def build_group_plan(ctx: Any, rng: random.Random, group: Any) -> None:
    """A draft plan of the group: generated swaps, then its backbone teachers sent to its campuses."""
    plan = services.do_create_plan(data={"group": group, "year": PLAN_YEAR, "is_demo": True}, acting_user=None)
    plan, _proposal, _seconds = services.do_generate_plan(plan, seed=rng.randrange(2**31), acting_user=None)
    lead = group.lead_school
    campuses = list(Campus.objects.filter(school=lead, is_main=False).order_by("name"))
    if not campuses:
        campuses = list(Campus.objects.filter(school=lead).order_by("-is_main", "name"))[1:]
    if not campuses:
        return
    taken = set(plan.assignments.values_list("teacher_id", flat=True)) | services.busy_teacher_ids(plan)
    pool = list(rules.quota_teachers(plan).filter(school=lead).exclude(pk__in=taken).order_by("-is_backbone", "id"))
    by_subject: dict[str, int] = {}
    for teacher in rules.quota_teachers(plan).filter(school=lead):
        by_subject[teacher.subject] = by_subject.get(teacher.subject, 0) + 1
    wanted = scaled(CAMPUS_TEACHERS, ctx.scale)
    rows = []
    for teacher in pool:
        if len(rows) >= wanted:
            break
        campus = campuses[len(rows) % len(campuses)]
        rows.append(
            RotationAssignment(
                plan=plan,
                teacher=teacher,
                from_school=lead,
                to_school=lead,
                to_campus=campus,
                area_id=lead.area_id,
                subject=teacher.subject,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                role=AssignmentRole.MIDDLE_MANAGER if teacher.is_middle_manager else AssignmentRole.TEACHER,
                direction=Direction.SAME_SIDE,
                is_demo=True,
            )
        )
    do_bulk_create(RotationAssignment, rows, acting_user=None)
    figures = rules.plan_figures(plan, with_coverage=False)
    ctx.figures[f"group exchange plan {group.name} 2026 (draft)"] = (
        f"{figures.exchanged} / {figures.full_time} ({len(rows)} to its campuses)"
    )


# --- recruitment ------------------------------------------------------------------------------
def _split(total: int, weights: list[float]) -> list[int]:
    """``total`` in proportion to ``weights`` (largest remainder: the parts add up exactly)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def build_recruitment(ctx: Any, rng: random.Random, district: Any) -> None:
    from jiceng.education.demo import RECRUITED_2017_2020

    recruited, established = RECRUITED_2017_2020
    totals = {Employment.ESTABLISHED: established, Employment.CONTRACT: recruited - established}
    schools = list(School.objects.filter(area__path__startswith=district.path, is_demo=True).order_by("id"))
    subjects = sorted(set(Teacher.objects.filter(school__in=schools).values_list("subject", flat=True)))
    if not schools or not subjects:
        return
    rounds = do_bulk_create(
        RecruitmentRound,
        [
            RecruitmentRound(
                name=f"{district.name}{year}年公开招聘教师",
                area=district,
                year=year,
                announced_on=dt.date(year, 5, 10 + i),
                notes="E12：2017年以来连续四年大招考（演示数据按年份分配）",
                is_demo=True,
            )
            for i, year in enumerate(RECRUITMENT_YEARS)
        ],
        acting_user=None,
    )
    posts: list[RecruitmentPost] = []
    for employment, total in totals.items():
        for round_, hired in zip(rounds, _split(total, list(RECRUITMENT_WEIGHTS)), strict=True):
            cells = [(school, subject) for school in schools for subject in subjects]
            rng.shuffle(cells)
            cells = cells[: max(1, min(len(cells), hired // 3 or 1))]
            for (school, subject), count in zip(cells, _split(hired, [1.0] * len(cells)), strict=True):
                if count:
                    posts.append(
                        RecruitmentPost(
                            recruitment_round=round_,
                            school=school,
                            area_id=school.area_id,
                            subject=subject,
                            employment=employment,
                            posts=count + (1 if rng.random() < 0.2 else 0),
                            hired=count,
                            is_demo=True,
                        )
                    )
    do_bulk_create(RecruitmentPost, posts, acting_user=None)
    ctx.figures["recruitment 东昌府区 2017–2020"] = (
        f"{len(rounds)} rounds, {sum(p.hired for p in posts)} hired "
        f"({sum(p.hired for p in posts if p.employment == Employment.ESTABLISHED)} established, "
        f"{sum(p.hired for p in posts if p.employment == Employment.CONTRACT)} contract)"
    )


# --- mentor pairs -----------------------------------------------------------------------------
def build_mentor_pairs(ctx: Any, rng: random.Random, county: Any) -> int:
    """Pairs in one school (a mentee hired within the policy's years, a senior mentor of the subject),
    or across a group (a mentor of the lead school for a mentee of a member school)."""
    starts_on = dt.date(PLAN_YEAR, 9, 1)
    years = get_policy(rules.MENTEE_MAX_YEARS, area_path=county.path, on=starts_on).value
    newest = dt.date(starts_on.year - years, starts_on.month, starts_on.day)
    teachers = Teacher.objects.filter(area__path__startswith=county.path, is_demo=True, left_on__isnull=True)
    mentees = list(teachers.filter(hired_on__gt=newest).order_by("id"))
    rng.shuffle(mentees)
    seniors: dict[tuple[int, str], list[Teacher]] = {}
    for teacher in teachers.filter(hired_on__lte=dt.date(starts_on.year - 2 * years - 5, 9, 1)).order_by(
        "-is_backbone", "id"
    ):
        seniors.setdefault((teacher.school_id, teacher.subject), []).append(teacher)
    lead_of: dict[int, Any] = {}
    for group in EducationGroup.objects.filter(area=county).select_related("lead_school"):
        for member in group.current_members(starts_on).filter(role=MemberRole.MEMBER):
            lead_of[member.school_id] = group
    rows = []
    for mentee in mentees:
        if len(rows) >= scaled(MENTOR_PAIRS, ctx.scale):
            break
        group = lead_of.get(mentee.school_id)
        candidates = seniors.get((mentee.school_id, mentee.subject), [])
        use_group = group is not None and (not candidates or rng.random() < 0.3)
        if use_group and seniors.get((group.lead_school_id, mentee.subject)):
            mentor = rng.choice(seniors[(group.lead_school_id, mentee.subject)])
        elif candidates:
            mentor, group = rng.choice(candidates), None
        else:
            continue
        rows.append(
            MentorPair(
                mentor=mentor,
                mentee=mentee,
                school_id=mentee.school_id,
                area_id=mentee.area_id,
                group=group if mentor.school_id != mentee.school_id else None,
                starts_on=starts_on,
                ends_on=dt.date(starts_on.year + 1, 7, 15),
                notes="青蓝结对",
                is_demo=True,
            )
        )
    do_bulk_create(MentorPair, rows, acting_user=None)
    return len(rows)
