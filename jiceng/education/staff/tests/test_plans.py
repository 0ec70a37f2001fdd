"""Exchange plans: generation from the policy, the quota at ceil(pct × N) (one short refused, at it
accepted), both directions, subject coverage, recently rotated, the bureau's adjustments, approval
level, nothing written on refusal, history and the service record."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from jiceng.core.models import AuditEntry
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.core.workflow.models import TransitionLog
from jiceng.education.models import Teacher
from jiceng.education.staff import rules, selectors, services
from jiceng.education.staff.generator import required_count
from jiceng.education.staff.models import RotationAssignment, RotationPlan
from jiceng.education.testing import make_person, make_teacher

pytestmark = pytest.mark.django_db


def quota_pct(county):
    return get_policy(rules.QUOTA_PCT, area_path=county.area.path, on=dt.date(2026, 9, 1)).value


def full_time(county):
    return len(county.teachers)  # the part-time teacher and the one who left do not count


def generate(plan, county, seed=1):
    return services.do_generate_plan(plan, seed=seed, acting_user=county.admin)


def test_the_generated_plan_meets_the_policy_quota_in_both_directions(county, plan):
    plan, proposal, _seconds = generate(plan, county)
    required = required_count(quota_pct(county), full_time(county))
    figures = rules.plan_figures(plan)
    assert figures.full_time == full_time(county)
    assert figures.required == required == proposal.required
    assert figures.exchanged >= required and figures.quota_met
    assert figures.directions["urban_to_rural"] > 0 and figures.directions["rural_to_urban"] > 0
    assert not figures.broken
    assert plan.starts_on == dt.date(2026, 9, 1) and plan.seed == 1  # the county's school year
    assert all(not a.adjusted_by_bureau for a in plan.assignments.all())
    moved = set(plan.assignments.values_list("teacher_id", flat=True))
    assert not moved & set(Teacher.objects.filter(is_full_time=False).values_list("pk", flat=True))
    approved = services.do_approve_plan(plan, acting_user=county.admin)
    assert approved.status == "approved" and approved.approved_at is not None


def test_generation_is_deterministic_from_the_seed(county, plan):
    first = sorted(generate(plan, county, seed=42)[0].assignments.values_list("teacher_id", "to_school_id"))
    again = sorted(generate(plan, county, seed=42)[0].assignments.values_list("teacher_id", "to_school_id"))
    other = sorted(generate(plan, county, seed=43)[0].assignments.values_list("teacher_id", "to_school_id"))
    assert first == again and first != other


def test_one_short_of_the_quota_is_refused_and_at_the_quota_accepted(county, plan):
    plan, _proposal, _seconds = generate(plan, county)
    required = required_count(quota_pct(county), full_time(county))
    # trim to exactly the quota, keeping both directions
    extra = list(plan.assignments.order_by("-direction", "pk"))[required:]
    for assignment in extra:
        services.do_remove_assignment(assignment, acting_user=county.admin)
    assert plan.assignments.count() == required
    last = plan.assignments.order_by("pk").last()
    services.do_remove_assignment(last, acting_user=county.admin)
    audits, logs = AuditEntry.objects.count(), TransitionLog.objects.count()
    with pytest.raises(GuardFailed) as refused:
        services.do_approve_plan(plan, acting_user=county.admin)
    [reason] = [r for r in refused.value.reasons if r.policy_key == rules.QUOTA_PCT]
    assert f"{required - 1} " in reason.message and str(required) in reason.message
    assert reason.value == quota_pct(county) and reason.source
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.approved_at is None
    assert (AuditEntry.objects.count(), TransitionLog.objects.count()) == (audits, logs)  # nothing written
    # the bureau adds one teacher back by hand: at the quota, approved
    sent = set(plan.assignments.values_list("teacher_id", flat=True))
    spare = next(
        t for t in county.teachers if t.pk not in sent and t.school.location == last.from_school.location
        and Teacher.objects.filter(school=t.school, subject=t.subject).count() > 2
    )  # fmt: skip
    added = services.do_add_assignment(
        plan, data={"teacher": spare, "to_school": last.to_school}, acting_user=county.admin
    )
    assert added.adjusted_by_bureau and added.from_school == spare.school and added.direction == last.direction
    assert AuditEntry.objects.filter(object_id=str(added.pk), action="create").exists()
    assert services.do_approve_plan(plan, acting_user=county.admin).status == "approved"


def test_approval_refuses_a_school_losing_its_last_teacher_of_a_subject(county, plan):
    plan, _proposal, _seconds = generate(plan, county)
    school = county.urban[0]
    only_pe = Teacher.objects.get(school=school, subject="pe", is_full_time=True)
    services.do_add_assignment(plan, data={"teacher": only_pe, "to_school": county.rural[0]}, acting_user=county.admin)
    with pytest.raises(GuardFailed) as refused:
        services.do_approve_plan(plan, acting_user=county.admin)
    messages = [r.message for r in refused.value.reasons]
    assert any(school.name in m for m in messages)
    row = next(r for r in rules.coverage(plan) if r.school_id == school.pk and r.subject == "pe")
    assert row.is_broken and row.own == 1 and row.sent == 1
    assert RotationPlan.objects.get(pk=plan.pk).status == "draft"


def test_approval_refuses_a_one_way_plan(county, plan):
    plan, _proposal, _seconds = generate(plan, county)
    for assignment in plan.assignments.filter(direction="rural_to_urban"):
        services.do_remove_assignment(assignment, acting_user=county.admin)
    with pytest.raises(GuardFailed) as refused:
        services.do_approve_plan(plan, acting_user=county.admin)
    keys = {r.policy_key for r in refused.value.reasons}
    assert rules.DIRECTION_SHARE_PCT in keys


def test_a_same_side_move_is_not_part_of_a_county_plan(county, plan):
    from jiceng.core.errors import InvalidInput

    teacher = Teacher.objects.filter(school=county.urban[0], subject="chinese").first()
    with pytest.raises(InvalidInput):
        services.do_add_assignment(
            plan, data={"teacher": teacher, "to_school": county.urban[1]}, acting_user=county.admin
        )
    assert not plan.assignments.exists()


def test_recently_rotated_teachers_are_passed_over(county):
    window = get_policy(rules.RECENT_WINDOW_YEARS, area_path=county.area.path, on=dt.date(2026, 9, 1)).value
    earlier = services.do_create_plan(data={"area": county.area, "year": 2025}, acting_user=county.admin)
    earlier, _p, _s = generate(earlier, county, seed=9)
    services.do_approve_plan(earlier, acting_user=county.admin)
    rotated = set(earlier.assignments.values_list("teacher_id", flat=True))
    assert window >= 1  # 2025 is within the window of 2026
    plan = services.do_create_plan(data={"area": county.area, "year": 2026}, acting_user=county.admin)
    plan, _p, _s = generate(plan, county, seed=9)
    again = set(plan.assignments.values_list("teacher_id", flat=True))
    assert len(again & rotated) < len(rotated) / 2
    # the history of a rotated teacher
    teacher = Teacher.objects.get(pk=next(iter(rotated)))
    record = selectors.service_record(county.admin, teacher, on=dt.date(2026, 8, 31))
    assert [row["approved"] for row in record["history"]].count(True) == 1
    home = teacher.school
    assert Teacher.objects.get(pk=teacher.pk).school == home  # an exchange never moves the payroll school


def test_teachers_near_retirement_are_avoided(county, plan):
    avoid = get_policy(rules.AVOID_AGE_FROM, area_path=county.area.path, on=dt.date(2026, 9, 1)).value
    born = f"{2026 - avoid - 1}0101"
    old = [
        make_teacher(school, subject="chinese", person=make_person(school.area, birth=born))
        for school in county.schools
    ]
    plan, _p, _s = generate(plan, county)
    assert not set(plan.assignments.values_list("teacher_id", flat=True)) & {t.pk for t in old}


def test_the_service_record_counts_years_at_weaker_schools(county, plan):
    plan, _p, _s = generate(plan, county)
    services.do_approve_plan(plan, acting_user=county.admin)
    out = plan.assignments.filter(direction="urban_to_rural").first()
    back = plan.assignments.filter(direction="rural_to_urban").first()
    end = plan.ends_on
    record = selectors.service_record(county.admin, out.teacher, on=end)
    assert record["history"][0]["weaker"] and record["years_away"] == round((end - plan.starts_on).days / 365.25, 1)
    assert selectors.service_record(county.admin, back.teacher, on=end)["years_away"] == 0


def test_approval_needs_the_county_level(county):
    """A group plan in 燕店镇: township staff hold the permission over it, but only at township level."""
    from jiceng.education.tests.factories import make_group, make_membership

    cast = county.cast
    group = make_group(cast.area("燕店镇"), lead_school=county.urban[0])
    make_membership(cast.area("燕店镇"), group=group, school=county.urban[0], role="lead")
    make_membership(cast.area("燕店镇"), group=group, school=county.urban[1])
    plan = services.do_create_plan(data={"group": group, "year": 2026}, acting_user=county.admin)
    assert plan.area == cast.area("燕店镇")
    plan, proposal, _s = generate(plan, county)
    group_full_time = Teacher.objects.filter(school__in=county.urban[:2], is_full_time=True, left_on__isnull=True)
    assert proposal.required == required_count(quota_pct(county), group_full_time.count())
    assert rules.plan_figures(plan).exchanged == plan.assignments.count() >= proposal.required
    assert Counter(plan.assignments.values_list("direction", flat=True)) == {"same_side": plan.assignments.count()}
    with pytest.raises(GuardFailed) as refused:
        services.do_approve_plan(plan, acting_user=cast.township_staff)
    assert [r.policy_key for r in refused.value.reasons] == [rules.APPROVER_LEVEL]
    assert RotationPlan.objects.get(pk=plan.pk).status == "draft"
    assert services.do_approve_plan(plan, acting_user=county.admin).status == "approved"


def test_an_approved_plan_is_not_changed(county, plan):
    from jiceng.core.errors import InvalidInput

    plan, _p, _s = generate(plan, county)
    plan = services.do_approve_plan(plan, acting_user=county.admin)
    with pytest.raises(InvalidInput):
        services.do_generate_plan(plan, seed=2, acting_user=county.admin)
    with pytest.raises(InvalidInput):
        services.do_remove_assignment(RotationAssignment.objects.filter(plan=plan).first(), acting_user=county.admin)
