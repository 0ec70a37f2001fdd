"""The bureau's decision: approval at county level moves the student (and re-reads every rule),
a township administrator applies but cannot approve, rejection records the rules broken, the
school withdraws. Nothing is written on a refusal."""

import pytest

from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education import sizes
from jiceng.education.choices import EnrollmentEnd, EnrollmentReason
from jiceng.education.testing import fill_class
from jiceng.education.transfers import rules, services
from jiceng.education.transfers.choices import TransferState


@pytest.fixture
def applied(education_cast, application):
    return services.do_apply(data=application(), acting_user=education_cast.township_staff)


def test_the_bureau_approves_and_the_student_moves(education_cast, applied, pupil, target, today):
    old = applied.from_enrollment
    moved = services.do_approve(applied, acting_user=education_cast.county_admin, note="符合转入条件")
    assert moved.status == TransferState.APPROVED
    assert moved.decided_by == education_cast.county_admin and moved.decided_at is not None
    old.refresh_from_db()
    assert old.ended_on == applied.on and old.end_reason == EnrollmentEnd.TRANSFERRED
    new = pupil.enrollments.get(ended_on__isnull=True)
    assert (new.school_class, new.started_on, new.reason) == (target, applied.on, EnrollmentReason.TRANSFER)
    pupil.refresh_from_db()
    assert pupil.area == target.school.area
    assert sizes.class_size(target) == 1
    workdays = get_policy(rules.HANDOVER_WORKDAYS, area_path=target.school.area.path, on=today).value
    assert moved.handover_due_on == add_workdays(today, workdays)


def test_a_township_administrator_applies_but_cannot_approve(education_cast, applied, counts):
    before = counts()
    with pytest.raises(GuardFailed) as exc:
        services.do_approve(applied, acting_user=education_cast.township_staff)
    (reason,) = exc.value.reasons
    level = get_policy(rules.APPROVER_LEVEL, area_path=applied.area.path, on=applied.on).value
    assert reason.policy_key == rules.APPROVER_LEVEL and reason.value == level
    assert reason.source in reason.message
    assert counts() == before
    applied.refresh_from_db()
    assert applied.status == TransferState.APPLIED
    with pytest.raises(GuardFailed):
        services.do_reject(applied, acting_user=education_cast.township_staff, note="不同意")


def test_a_viewer_may_not_decide(education_cast, applied):
    with pytest.raises(PermissionRefused):
        services.do_approve(applied, acting_user=education_cast.township_viewer)


def test_approval_reads_the_cap_again(education_cast, applied, target, cap, counts):
    fill_class(target, cap)
    before = counts()
    with pytest.raises(GuardFailed) as exc:
        services.do_approve(applied, acting_user=education_cast.county_admin)
    assert [r.policy_key for r in exc.value.reasons] == [sizes.CAP]
    assert counts() == before
    rejected = services.do_reject(applied, acting_user=education_cast.county_admin)
    assert rejected.status == TransferState.REJECTED
    assert [r["policy"] for r in rejected.refusal_reasons] == [sizes.CAP]
    assert f"{cap}" in rejected.refusal_reasons[0]["message"]


def test_a_rejection_of_a_sound_application_needs_a_note(education_cast, applied):
    with pytest.raises(InvalidInput):
        services.do_reject(applied, acting_user=education_cast.county_admin)
    rejected = services.do_reject(applied, acting_user=education_cast.county_admin, note="材料不全")
    assert rejected.decision_note == "材料不全" and rejected.refusal_reasons == []


def test_the_school_withdraws_and_may_apply_again(education_cast, applied, application):
    withdrawn = services.do_withdraw(applied, acting_user=education_cast.township_staff)
    assert withdrawn.status == TransferState.WITHDRAWN
    again = services.do_apply(data=application(), acting_user=education_cast.township_staff)
    assert again.status == TransferState.APPLIED
    with pytest.raises(GuardFailed):  # a decided application takes no further step
        services.do_withdraw(withdrawn, acting_user=education_cast.township_staff)


def test_a_registration_changed_meanwhile_refuses_approval(education_cast, applied, pupil, schools):
    from jiceng.education.services import do_move
    from jiceng.education.testing import make_class

    moved_to = make_class(schools["from"], grade=3)
    do_move(pupil, moved_to, on=applied.on, acting_user=None)
    with pytest.raises(GuardFailed) as exc:
        services.do_approve(applied, acting_user=education_cast.county_admin)
    assert moved_to.name in exc.value.reasons[0].message  # the refusal names the registration as it now is


def test_refusals_preview(education_cast, applied):
    assert services.refusals(applied, "approve", acting_user=education_cast.county_admin) == []
    found = services.refusals(applied, "approve", acting_user=education_cast.township_staff)
    assert [r.policy_key for r in found] == [rules.APPROVER_LEVEL]
