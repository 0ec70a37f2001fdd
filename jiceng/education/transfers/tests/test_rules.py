"""The application rules: cap (class and grade), window, graduating year, registration, one pending.
Each refusal names the rule, its numbers and its source, and writes nothing."""

import datetime as dt

import pytest

from jiceng.core.policies.services import do_create_policy, get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education import sizes
from jiceng.education.models import AttendanceStatus
from jiceng.education.testing import fill_class, make_class, make_student
from jiceng.education.transfers import rules, services
from jiceng.education.transfers.choices import TransferState


def refusal(data, user):
    with pytest.raises(GuardFailed) as exc:
        services.do_apply(data=data, acting_user=user)
    return exc.value.reasons


def keys(reasons):
    return [r.policy_key for r in reasons]


# --- cap ------------------------------------------------------------------------------------
class TestCap:
    def test_a_class_below_the_cap_accepts(self, education_cast, application, target, cap):
        fill_class(target, cap - 1)
        transfer = services.do_apply(data=application(), acting_user=education_cast.township_staff)
        assert transfer.status == TransferState.APPLIED
        assert transfer.to_school == target.school and transfer.area == target.school.area
        assert transfer.from_enrollment is not None and transfer.from_school is not None
        assert transfer.applied_by == education_cast.township_staff

    def test_a_class_at_exactly_the_cap_refuses(self, education_cast, application, target, cap, counts):
        fill_class(target, cap)
        before = counts()
        reasons = refusal(application(), education_cast.township_staff)
        assert keys(reasons) == [sizes.CAP]
        reason = reasons[0]
        assert reason.value == cap
        assert f"{cap}" in reason.message and f"{cap + 1}" in reason.message
        assert reason.source and reason.source in reason.message
        assert counts() == before

    def test_a_grade_with_one_class_over_the_cap_refuses_every_class_whatever_the_date(
        self, education_cast, pupil, schools, target, cap, window, today, counts
    ):
        crowded = make_class(schools["to"], grade=3, number=2)
        fill_class(crowded, cap + 1)
        roomy = make_class(schools["to"], grade=3, number=3)
        before = counts()
        for school_class in (target, roomy):
            for on in (today, window["closes"], window["closes"] + dt.timedelta(days=37)):
                reasons = refusal({"student": pupil, "to_class": school_class, "on": on}, education_cast.county_admin)
                grade = [r for r in reasons if r.policy_key == sizes.CAP]
                assert len(grade) == 1, reasons
                assert crowded.name in grade[0].message and f"{cap + 1}" in grade[0].message
        assert counts() == before
        # another grade of the same school is not affected
        fresh = make_student(make_class(schools["from"], grade=4))
        fourth = make_class(schools["to"], grade=4)
        assert services.application_refusals({"student": fresh, "to_class": fourth, "on": today}) == []

    def test_the_cap_is_read_from_the_policy(self, education_cast, application, target, cap):
        """A township row below the county's: a class that was below the cap is now at it."""
        fill_class(target, cap - 1)
        township = education_cast.area("燕店镇")
        county = get_policy(sizes.CAP, area_path=township.path, on=dt.date(2026, 9, 1))
        do_create_policy(
            data={
                "key": sizes.CAP,
                "name": county.name,
                "value_type": county.value_type,
                "value": str(cap - 1),
                "unit": county.unit,
                "area_code": township.code,
                "area_path": township.path,
                "effective_from": dt.date(2026, 1, 1),
                "source_document": "燕店镇班额规定（测试）",
                "source_status": "local",
            },
            acting_user=None,
        )
        reasons = refusal(application(), education_cast.township_staff)
        assert keys(reasons) == [sizes.CAP] and "燕店镇班额规定" in reasons[0].message


# --- window ---------------------------------------------------------------------------------
class TestWindow:
    def test_the_last_day_inside_accepts_and_the_first_day_outside_refuses(
        self, education_cast, application, window, counts
    ):
        assert services.application_refusals(application(on=window["closes"])) == []
        before = counts()
        reasons = refusal(application(on=window["closes"] + dt.timedelta(days=1)), education_cast.township_staff)
        assert keys(reasons) == [rules.WINDOW_MONTHS]
        assert window["closes"].isoformat() in reasons[0].message
        assert window["opens"].isoformat() in reasons[0].message
        assert counts() == before

    def test_the_window_opens_with_the_school_year(self, application, window):
        reasons = services.application_refusals(application(on=window["opens"] - dt.timedelta(days=1)))
        assert keys(reasons)[0] == rules.WINDOW_MONTHS  # (and: before the current registration started)
        assert services.application_refusals(application(on=window["opens"])) == []

    def test_the_application_date_must_be_inside_too(self, application, window):
        late = window["closes"] + dt.timedelta(days=1)
        reasons = services.application_refusals(application(on=window["closes"]), today=late)
        assert keys(reasons) == [rules.WINDOW_MONTHS]
        assert late.isoformat() in reasons[0].message
        assert services.application_refusals(application(on=window["closes"]), today=window["closes"]) == []

    def test_the_window_follows_the_policy_months(self, school_year, target, window):
        found = rules.window_of(target.school, target.year, school_year.starts_on)
        assert (found.opens_on, found.closes_on) == (window["opens"], window["closes"])
        assert found.rule.value == window["months"]

    def test_no_school_calendar_is_a_clear_refusal(self, education_cast, pupil, schools, today):
        later = make_class(schools["to"], grade=3, year=2027)
        reasons = services.application_refusals({"student": pupil, "to_class": later, "on": today})
        window_reasons = [r for r in reasons if r.policy_key == rules.WINDOW_MONTHS]
        assert len(window_reasons) == 1 and "2027" in window_reasons[0].message

    def test_a_township_calendar_overrides_the_county(self, education_cast, application, window):
        from jiceng.education.testing import make_school_year

        township = education_cast.area("燕店镇")
        later_start = window["closes"] + dt.timedelta(days=1)
        make_school_year(township, 2026, starts_on=later_start)
        reasons = services.application_refusals(application(on=window["closes"]))
        assert keys(reasons)[:1] == [rules.WINDOW_MONTHS]


# --- graduating year --------------------------------------------------------------------------
class TestGraduatingYear:
    def _last(self, schools, today):
        last = schools["to"].last_grade
        pupil = make_student(make_class(schools["from"], grade=last))
        return {"student": pupil, "to_class": make_class(schools["to"], grade=last), "on": today}

    def test_off_by_default(self, education_cast, schools, today):
        assert get_policy(rules.NO_GRADUATING_YEAR, area_path=schools["to"].area.path, on=today).value is False
        assert services.application_refusals(self._last(schools, today)) == []

    def test_switched_on_for_the_county_it_refuses(self, education_cast, schools, today):
        county = education_cast.area("莘县")
        national = get_policy(rules.NO_GRADUATING_YEAR, area_path="", on=today)
        do_create_policy(
            data={
                "key": rules.NO_GRADUATING_YEAR,
                "name": national.name,
                "value_type": national.value_type,
                "value": "true",
                "area_code": county.code,
                "area_path": county.path,
                "effective_from": dt.date(2026, 1, 1),
                "source_document": "莘县毕业年级转学规定（测试）",
                "source_status": "local",
            },
            acting_user=None,
        )
        reasons = services.application_refusals(self._last(schools, today))
        assert keys(reasons) == [rules.NO_GRADUATING_YEAR]
        assert "莘县毕业年级转学规定" in reasons[0].message
        # other grades still accept
        pupil = make_student(make_class(schools["from"], grade=2))
        assert (
            services.application_refusals(
                {"student": pupil, "to_class": make_class(schools["to"], grade=2), "on": today}
            )
            == []
        )


# --- registration -----------------------------------------------------------------------------
class TestRegistration:
    def test_the_grade_may_not_change(self, application, schools):
        reasons = services.application_refusals(application(to_class=make_class(schools["to"], grade=4)))
        assert keys(reasons) == [rules.SAME_GRADE]

    def test_last_years_class_counts_as_promoted(self, schools, today):
        pupil = make_student(make_class(schools["from"], grade=2, year=2025), started_on=dt.date(2025, 9, 1))
        assert (
            services.application_refusals(
                {"student": pupil, "to_class": make_class(schools["to"], grade=3), "on": today}
            )
            == []
        )

    def test_a_new_registration_is_accepted(self, education_cast, target, today):
        newcomer = make_student(area=education_cast.area("东村"))
        transfer = services.do_apply(
            data={"student": newcomer, "to_class": target, "on": today}, acting_user=education_cast.township_staff
        )
        assert transfer.from_enrollment is None and transfer.from_school is None

    def test_already_at_the_receiving_school(self, application, schools, pupil):
        sibling = make_class(schools["from"], grade=3)
        reasons = services.application_refusals(application(to_class=sibling))
        assert (
            keys(reasons) == [""]
            and pupil.person.name in reasons[0].message
            and schools["from"].name in reasons[0].message
        )

    def test_registered_here_attending_there_is_refused(self, application, pupil, schools, today):
        pupil.attending_school = schools["to"]
        pupil.attendance_checked_on = today
        pupil.save(update_fields=["attending_school", "attendance_checked_on"])
        reasons = services.application_refusals(application())
        assert keys(reasons) == [rules.MATCHES_ATTENDANCE]
        assert str(schools["to"]) in reasons[0].message and str(schools["from"]) in reasons[0].message

    def test_an_empty_registration_is_refused(self, application, pupil):
        pupil.attendance_status = AttendanceStatus.ABSENT
        pupil.save(update_fields=["attendance_status"])
        assert keys(services.application_refusals(application())) == [rules.MATCHES_ATTENDANCE]

    def test_attending_the_registered_school_is_fine(self, application, pupil, schools):
        pupil.attending_school = schools["from"]
        pupil.attendance_status = AttendanceStatus.ATTENDING
        pupil.save(update_fields=["attending_school", "attendance_status"])
        assert services.application_refusals(application()) == []

    def test_one_pending_application_per_student(self, education_cast, application, schools, counts):
        first = services.do_apply(data=application(), acting_user=education_cast.township_staff)
        other = make_class(schools["to"], grade=3)
        before = counts()
        reasons = refusal(application(to_class=other), education_cast.township_staff)
        assert len(reasons) == 1 and f"#{first.pk}" in reasons[0].message
        assert counts() == before


def test_every_reason_lists_every_broken_rule_at_once(education_cast, pupil, schools, target, cap, window):
    fill_class(target, cap)
    pupil.attendance_status = AttendanceStatus.ABSENT
    pupil.save(update_fields=["attendance_status"])
    reasons = services.application_refusals(
        {"student": pupil, "to_class": target, "on": window["closes"] + dt.timedelta(days=1)}, today=window["opens"]
    )
    assert set(keys(reasons)) == {sizes.CAP, rules.WINDOW_MONTHS, rules.MATCHES_ATTENDANCE}
    for reason in reasons:
        assert reason.source in reason.message
