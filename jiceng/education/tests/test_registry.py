"""Registration integrity (E08): 人籍分离, 空挂学籍, duplicates and overlapping enrollments, explained,
counted per school, within the viewer's scope."""

import datetime as dt

from jiceng.education import selectors, services
from jiceng.education.testing import enroll, make_class, make_school, make_student


def _kinds(findings):
    return sorted((f.kind, f.student.pk) for f in findings)


def test_each_kind_of_wrong_registration_is_listed_with_its_explanation(education_cast, school):
    admin = education_cast.county_admin
    other = make_school(education_cast.area("西村"), name="西村小学")
    school_class = make_class(school)
    fine, elsewhere, absent = (make_student(school_class) for _ in range(3))
    on = dt.date(2026, 9, 15)
    services.do_record_attendance(fine, attending_school=school, on=on, acting_user=admin)
    services.do_record_attendance(elsewhere, attending_school=other, on=on, acting_user=admin)
    services.do_record_attendance(absent, attending_school=None, on=on, acting_user=admin)
    twin = make_student(make_class(other))
    twin.person.name = fine.person.name
    twin.person.birth_date = fine.person.birth_date
    twin.person.save(update_fields=["name", "birth_date"])
    found = selectors.integrity_findings(admin)
    assert _kinds(found) == sorted(
        [("elsewhere", elsewhere.pk), ("absent", absent.pk), ("duplicate", fine.pk), ("duplicate", twin.pk)]
    )
    by_kind = {f.kind: f for f in found}
    assert "西村小学" in by_kind["elsewhere"].message and "东村小学" in by_kind["elsewhere"].message
    assert twin.student_number in by_kind["duplicate"].message
    per_school = {s.name: c for s, c in selectors.findings_by_school(found)}
    assert per_school["东村小学"]["elsewhere"] == 1 and per_school["东村小学"]["absent"] == 1


def test_overlapping_enrollments_are_found(education_cast, school):
    student = make_student(make_class(school), started_on=dt.date(2026, 9, 1))
    other_class = make_class(make_school(education_cast.area("西村")))
    first = student.enrollments.get()
    first.ended_on = dt.date(2026, 10, 1)
    first.end_reason = "transferred"
    first.save()
    enroll(student, other_class, started_on=dt.date(2026, 9, 20))
    found = selectors.integrity_findings(education_cast.county_admin)
    assert [f.kind for f in found] == ["overlap"]
    move = make_student(make_class(school), started_on=dt.date(2026, 9, 1))
    current = move.enrollments.get()
    current.ended_on = dt.date(2026, 9, 20)
    current.save()
    enroll(move, other_class, started_on=dt.date(2026, 9, 20))  # the same day: a move, not an overlap
    assert [f.kind for f in selectors.integrity_findings(education_cast.county_admin)] == ["overlap"]


def test_the_lists_stay_in_the_viewers_scope(education_cast, school):
    absent = make_student(make_class(school))
    services.do_record_attendance(
        absent, attending_school=None, on=dt.date(2026, 9, 15), acting_user=education_cast.county_admin
    )
    assert [f.student for f in selectors.integrity_findings(education_cast.township_viewer)] == [absent]
    assert selectors.integrity_findings(education_cast.outsider) == []
