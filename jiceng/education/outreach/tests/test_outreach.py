"""Study groups (coverage gaps, the leader must be a member), class meetings and reflections, aid for
registered poor students (validation, the audited flag) and activities, through services, pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from jiceng.core import services as core_services
from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditEntry
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education.outreach import rules, selectors, services
from jiceng.education.outreach.models import CoeducationActivity, Reflection, StudentAid, StudyGroup, StudyLog
from jiceng.education.outreach.tests.factories import make_group, make_meeting, poor_student
from jiceng.education.testing import make_class, make_school, make_student

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 10, 5)  # after the school year began (the factories enroll from 1 September)


def group_data(school, village, members, leader, **changes):
    return {
        "school": school,
        "village": village,
        "name": f"{village.name}学习小组",
        "venue_kind": "student_home",
        "venue": f"{village.name}3号",
        "members": members,
        "leader": leader,
        "formed_on": dt.date(2026, 7, 1),
        **changes,
    }


class TestStudyGroups:
    def test_leader_must_be_a_member_refused_with_nothing_written(self, cast):
        school = make_school(cast.area("燕店镇"))
        klass = make_class(school, grade=3)
        east = cast.area("东村")
        members = [make_student(klass, area=east) for _ in range(3)]
        outsider_student = make_student(klass, area=east)
        with pytest.raises(GuardFailed) as exc:
            services.do_create_study_group(
                data=group_data(school, east, members, outsider_student), acting_user=cast.township_staff
            )
        assert str(outsider_student) in exc.value.reasons[0].message
        assert exc.value.status == 409
        assert not StudyGroup.objects.exists()
        group = services.do_create_study_group(
            data=group_data(school, east, members, members[0]), acting_user=cast.township_staff
        )
        assert set(group.members.all()) == set(members) and group.area == school.area

    def test_members_are_students_of_the_school(self, cast):
        school, other = make_school(cast.area("燕店镇")), make_school(cast.area("燕店镇"))
        east = cast.area("东村")
        stranger = make_student(make_class(other), area=east)
        with pytest.raises(InvalidInput) as exc:
            services.do_create_study_group(
                data=group_data(school, east, [stranger], None), acting_user=cast.township_staff
            )
        assert exc.value.field == "members"

    def test_village_must_be_a_village(self, cast):
        school = make_school(cast.area("燕店镇"))
        with pytest.raises(ValidationError):
            services.do_create_study_group(
                data=group_data(school, cast.area("燕店镇"), [], None), acting_user=cast.township_staff
            )

    def test_coverage_lists_the_villages_without_a_group(self, cast):
        school = make_school(cast.area("燕店镇"))
        klass = make_class(school, grade=4)
        east, west = cast.area("东村"), cast.area("西村")
        east_students = [make_student(klass, area=east) for _ in range(3)]
        for _ in range(2):
            make_student(klass, area=west)
        services.do_create_study_group(
            data=group_data(school, east, east_students, east_students[0]), acting_user=cast.township_staff
        )
        result = selectors.school_coverage(school, ON)
        need = get_policy(rules.GROUPS_PER_VILLAGE, area_path=school.area.path, on=ON).value
        by_code = {v["code"]: v for v in result["villages"]}
        assert by_code[east.code]["students"] == 3 and by_code[east.code]["groups"] >= need
        assert by_code[west.code]["students"] == 2 and by_code[west.code]["groups"] == 0
        assert [v["code"] for v in result["gaps"]] == [west.code]
        rows = selectors.coverage(cast.county_admin, cast.area("莘县"), ON)
        assert [r["school"] for r in rows] == [school]  # only schools running groups

    def test_log_kept_by_the_leader_and_present_within_the_members(self, cast):
        group = make_group(cast.area("燕店镇"), students=2)
        log = services.do_create_study_log(
            data={"group": group, "on": ON, "present": 2, "summary": "完成语文作业"}, acting_user=cast.township_staff
        )
        assert log.kept_by == group.leader and log.area == group.area
        with pytest.raises(InvalidInput) as exc:
            services.do_create_study_log(
                data={"group": group, "on": ON + dt.timedelta(days=1), "present": 5, "summary": "x"},
                acting_user=cast.township_staff,
            )
        assert exc.value.field == "present"
        assert StudyLog.objects.count() == 1

    def test_api_refuses_a_leader_outside_with_409(self, cast):
        school = make_school(cast.area("燕店镇"))
        klass = make_class(school)
        east = cast.area("东村")
        a, b = make_student(klass, area=east), make_student(klass, area=east)
        client = APIClient()
        client.force_authenticate(cast.township_staff)
        body = {
            "school": school.pk,
            "village": east.pk,
            "name": "东村一组",
            "venue_kind": "community_office",
            "venue": "东村村委会",
            "members": [a.pk],
            "leader": b.pk,
            "formed_on": "2026-07-01",
        }
        refused = client.post("/api/v1/education/study-groups/", body, format="json")
        assert refused.status_code == 409 and refused.json()["code"] == "guard_failed"
        created = client.post("/api/v1/education/study-groups/", {**body, "members": [a.pk, b.pk]}, format="json")
        assert created.status_code == 201, created.json()
        coverage = client.get("/api/v1/education/study-group-coverage/", {"area": "371522109000"}).json()
        assert coverage["schools"][0]["gaps"] == []


class TestReflections:
    def test_selection_needs_an_issue_and_the_author_is_in_the_class(self, cast):
        meeting = make_meeting(cast.area("燕店镇"))
        author = make_student(meeting.school_class)
        data = {
            "meeting": meeting,
            "author": author,
            "title": "感悟",
            "text": "……",
            "written_on": meeting.held_on,
            "is_selected": True,
        }
        with pytest.raises(ValidationError) as exc:
            services.do_create_reflection(data=data, acting_user=cast.township_staff)
        assert "magazine_issue" in exc.value.message_dict
        stranger = make_student(make_class(meeting.school_class.school, grade=7))
        with pytest.raises(InvalidInput):
            services.do_create_reflection(
                data={**data, "author": stranger, "magazine_issue": "第1期"}, acting_user=cast.township_staff
            )
        reflection = services.do_create_reflection(
            data={**data, "magazine_issue": "《映山红》2026年第3期"}, acting_user=cast.township_staff
        )
        publication = services.do_create_publication(
            data={
                "reflection": reflection,
                "outlet": "齐鲁晚报",
                "level": "provincial",
                "published_on": meeting.held_on,
            },
            acting_user=cast.township_staff,
        )
        assert publication.area == reflection.area == meeting.area
        assert Reflection.objects.filter(publications__level="provincial").count() == 1


class TestAid:
    def test_amount_validated_and_only_for_flagged_students(self, cast):
        student = poor_student(cast.area("燕店镇"))
        data = {"student": student, "kind": "grant", "granted_on": ON, "source": "国家助学金"}
        for bad in (Decimal("0"), Decimal("-5"), Decimal("12.345")):
            with pytest.raises(ValidationError) as exc:
                services.do_create_aid(data={**data, "amount_yuan": bad}, acting_user=cast.township_staff)
            assert "amount_yuan" in exc.value.message_dict
        unflagged = make_student(make_class(make_school(cast.area("燕店镇"))))
        with pytest.raises(InvalidInput) as refused:
            services.do_create_aid(
                data={**data, "student": unflagged, "amount_yuan": Decimal("500")}, acting_user=cast.township_staff
            )
        assert refused.value.field == "student"
        assert not StudentAid.objects.exists()
        services.do_create_aid(data={**data, "amount_yuan": Decimal("1250.50")}, acting_user=cast.township_staff)
        services.do_create_aid(
            data={**data, "amount_yuan": Decimal("300"), "kind": "living"}, acting_user=cast.township_staff
        )
        (row,) = selectors.poor_students(cast.county_admin, cast.area("莘县"))
        assert row == student and row.aid_total == Decimal("1550.50") and row.aid_count == 2

    def test_flag_change_is_audited_with_its_reason(self, cast):
        student = make_student(make_class(make_school(cast.area("燕店镇"))))
        with pytest.raises(InvalidInput):
            services.do_set_registered_poor(student, flag=True, reason=" ", acting_user=cast.township_staff)
        services.do_set_registered_poor(
            student, flag=True, reason="扶贫办建档立卡名单2026", acting_user=cast.township_staff
        )
        student.refresh_from_db()
        assert student.is_registered_poor
        entry = AuditEntry.objects.filter(object_id=str(student.pk), comment="扶贫办建档立卡名单2026").get()
        assert entry.actor_id == cast.township_staff.pk

    def test_flag_api_and_page_scope(self, cast, client):
        student = make_student(make_class(make_school(cast.area("燕店镇"))))
        api = APIClient()
        api.force_authenticate(cast.outsider)
        body = {"student": student.pk, "flag": True, "reason": "名单"}
        assert api.post("/api/v1/education/poor-students/flag/", body, format="json").status_code == 404
        api.force_authenticate(cast.township_staff)
        assert api.post("/api/v1/education/poor-students/flag/", body, format="json").json()["is_registered_poor"]
        client.force_login(cast.township_staff)
        page = client.get("/education/outreach/poor-students/")
        assert page.status_code == 200 and student.student_number in page.content.decode()
        client.force_login(cast.outsider)
        assert student.student_number not in client.get("/education/outreach/poor-students/").content.decode()


class TestActivities:
    def test_participants_are_required(self, cast):
        school = make_school(cast.area("燕店镇"))
        with pytest.raises(ValidationError):
            core_services.do_create(
                CoeducationActivity,
                data={"school": school, "held_on": ON, "kind": "home_visit", "title": "家访"},
                acting_user=cast.township_staff,
            )

    def test_pages_list(self, cast, client):
        make_group(cast.area("燕店镇"))
        client.force_login(cast.township_staff)
        for url in (
            "study-groups/",
            "coverage/",
            "class-meetings/",
            "reflections/",
            "aid/",
            "activities/",
            "policy-notices/",
        ):
            assert client.get(f"/education/outreach/{url}").status_code == 200, url
