"""The API: plans (create, generate with a seed, approve → 200/409 with reasons), assignments,
recruitment, mentor pairs; an outsider gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jiceng.core.policies.services import get_policy
from jiceng.education.staff import rules
from jiceng.education.staff.generator import required_count
from jiceng.education.staff.models import MentorPair, RotationAssignment, RotationPlan
from jiceng.education.testing import make_teacher

pytestmark = pytest.mark.django_db


def test_create_generate_and_approve_a_plan(county, api):
    client = api(county.admin)
    created = client.post(reverse("rotationplan-list"), {"area_code": county.area.code, "year": 2026}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["starts_on"] == "2026-09-01"
    generated = client.post(reverse("rotationplan-generate", args=[pk]), {"seed": 5}, format="json")
    assert generated.status_code == 200, generated.content
    body = generated.json()
    pct = get_policy(rules.QUOTA_PCT, area_path=county.area.path, on=dt.date(2026, 9, 1)).value
    assert body["check"]["required"] == required_count(pct, len(county.teachers))
    assert body["check"]["exchanged"] >= body["check"]["required"] and body["check"]["policy"] == rules.QUOTA_PCT
    assert body["assignment_count"] == RotationAssignment.objects.filter(plan_id=pk).count() > 0
    listed = client.get(reverse("rotationassignment-list"), {"plan": pk}).json()
    assert listed["count"] == body["assignment_count"]
    approved = client.post(reverse("rotationplan-approve", args=[pk]), {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_approval_refused_with_reasons_and_nothing_written(county, plan, api):
    client = api(county.admin)
    response = client.post(reverse("rotationplan-approve", args=[plan.pk]), {}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_failed" and body["reasons"]
    assert RotationPlan.objects.get(pk=plan.pk).status == "draft"
    check = client.get(reverse("rotationplan-check", args=[plan.pk])).json()
    assert check["exchanged"] == 0 and check["reasons"]


def test_the_bureau_adjusts_through_the_api(county, plan, api):
    client = api(county.admin)
    client.post(reverse("rotationplan-generate", args=[plan.pk]), {"seed": 1}, format="json")
    first = RotationAssignment.objects.filter(plan=plan, direction="urban_to_rural").first()
    other_host = next(s for s in county.rural if s.pk != first.to_school_id)
    changed = client.patch(
        reverse("rotationassignment-detail", args=[first.pk]), {"to_school": other_host.pk}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["adjusted_by_bureau"] is True and changed.json()["to_school"] == other_host.pk
    removed = client.delete(reverse("rotationassignment-detail", args=[first.pk]))
    assert removed.status_code == 204 and not RotationAssignment.objects.filter(pk=first.pk).exists()


def test_the_outsider_sees_nothing_of_another_township(county, api):
    from jiceng.education.staff.tests.factories import make_assignment, make_plan

    cast = county.cast
    plan = make_plan(cast.area("燕店镇"))
    assignment = make_assignment(cast.area("燕店镇"), plan=plan)
    outsider = api(cast.outsider)
    assert outsider.get(reverse("rotationplan-detail", args=[plan.pk])).status_code == 404
    assert outsider.get(reverse("rotationassignment-detail", args=[assignment.pk])).status_code == 404
    assert outsider.post(reverse("rotationplan-approve", args=[plan.pk]), {}, format="json").status_code == 404
    assert (
        outsider.post(reverse("rotationplan-generate", args=[plan.pk]), {"seed": 1}, format="json").status_code == 404
    )
    assert api(cast.township_staff).get(reverse("rotationplan-detail", args=[plan.pk])).status_code == 200


def test_mentor_pairs_need_a_young_or_new_mentee(county, api):
    years = get_policy(rules.MENTEE_MAX_YEARS, area_path=county.area.path, on=dt.date(2026, 9, 1)).value
    school = county.urban[0]
    mentor = county.teachers[0]
    new = make_teacher(school, subject="maths", hired_on=dt.date(2026 - years + 1, 9, 1))
    senior = make_teacher(school, subject="maths", hired_on=dt.date(2026 - years - 1, 9, 1))
    client = api(county.admin)
    data = {"mentor": mentor.pk, "starts_on": "2026-09-01", "ends_on": "2027-07-15"}
    ok = client.post(reverse("mentorpair-list"), {**data, "mentee": new.pk}, format="json")
    assert ok.status_code == 201, ok.content and ok.json()["school"] == school.pk
    refused = client.post(reverse("mentorpair-list"), {**data, "mentee": senior.pk}, format="json")
    assert refused.status_code == 409
    assert refused.json()["reasons"][0]["policy"] == rules.MENTEE_MAX_YEARS
    assert MentorPair.objects.count() == 1
    elsewhere = client.post(
        reverse("mentorpair-list"), {**data, "mentor": county.teachers[-1].pk, "mentee": new.pk}, format="json"
    )
    assert elsewhere.status_code == 400


def test_recruitment_rounds_and_posts(county, api):
    client = api(county.admin)
    made = client.post(
        reverse("recruitmentround-list"),
        {"name": "2020年教师招考", "area": county.area.pk, "year": 2020, "announced_on": "2020-05-01"},
        format="json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    for employment, hired in (("established", 4), ("contract", 5)):
        post = client.post(
            reverse("recruitmentpost-list"),
            {"recruitment_round": pk, "school": county.rural[0].pk, "subject": "chinese", "employment": employment,
             "posts": 6, "hired": hired},
            format="json",
        )  # fmt: skip
        assert post.status_code == 201, post.content
    totals = client.get(reverse("recruitmentround-detail", args=[pk])).json()["totals"]
    assert totals == {"posts": 12, "hired": 9, "established": 4, "contract": 5}
    over = client.post(
        reverse("recruitmentpost-list"),
        {"recruitment_round": pk, "school": county.rural[1].pk, "subject": "maths", "employment": "contract",
         "posts": 1, "hired": 2},
        format="json",
    )  # fmt: skip
    assert over.status_code == 400
