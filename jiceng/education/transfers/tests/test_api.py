"""The API contract: POST 201 (awaiting the bureau) or 409 guard_failed with nothing written; 400 for
ids outside the caller's scope; 404 for the outsider; the decision endpoints; list filters."""

import pytest
from rest_framework.test import APIClient

from jiceng.education import sizes
from jiceng.education.testing import fill_class, make_class, make_school, make_student
from jiceng.education.transfers import rules
from jiceng.education.transfers.tests.factories import make_transfer

URL = "/api/v1/education/transfers/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(data):
    return {"student": data["student"].pk, "to_class": data["to_class"].pk, "on": data["on"].isoformat()}


def test_post_creates_an_application_awaiting_the_bureau(education_cast, application, target):
    response = api(education_cast.township_staff).post(URL, body(application()), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "applied"
    assert data["to_class"] == target.pk and data["to_school"] == target.school_id
    assert data["area"] == target.school.area.code
    assert data["from_school"] is not None


def test_post_refused_is_409_with_every_reason_and_nothing_written(education_cast, application, target, cap, counts):
    fill_class(target, cap)
    before = counts()
    response = api(education_cast.township_staff).post(URL, body(application()), format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "guard_failed"
    assert [r["policy"] for r in data["reasons"]] == [sizes.CAP]
    reason = data["reasons"][0]
    assert set(reason) >= {"policy", "message", "value", "source"}
    assert reason["value"] == cap and reason["source"] in reason["message"]
    assert counts() == before


def test_ids_outside_the_callers_scope_do_not_exist(education_cast, application):
    response = api(education_cast.outsider).post(URL, body(application()), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"student", "to_class"}


def test_the_outsider_gets_404(education_cast, application):
    transfer = make_transfer(education_cast.area("燕店镇"))
    outsider = api(education_cast.outsider)
    assert outsider.get(f"{URL}{transfer.pk}/").status_code == 404
    assert outsider.post(f"{URL}{transfer.pk}/withdraw/", {}, format="json").status_code == 404
    assert transfer.pk not in [row["id"] for row in outsider.get(URL).json()["results"]]


def test_approve_reject_withdraw(education_cast, application, schools, today):
    staff, bureau = api(education_cast.township_staff), api(education_cast.county_admin)
    pk = staff.post(URL, body(application()), format="json").json()["id"]
    refused = staff.post(f"{URL}{pk}/approve/", {}, format="json")
    assert refused.status_code == 409
    assert [r["policy"] for r in refused.json()["reasons"]] == [rules.APPROVER_LEVEL]
    preview = staff.get(f"{URL}{pk}/refusals/", {"action": "approve"}).json()
    assert [r["policy"] for r in preview["reasons"]] == [rules.APPROVER_LEVEL]
    approved = bureau.post(f"{URL}{pk}/approve/", {"note": "同意"}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["handover_due_on"]
    assert bureau.post(f"{URL}{pk}/reject/", {"note": "x"}, format="json").status_code == 409

    other = make_student(make_class(schools["from"], grade=3))
    pk2 = staff.post(
        URL, {"student": other.pk, "to_class": application()["to_class"].pk, "on": today.isoformat()}, format="json"
    ).json()["id"]
    assert bureau.post(f"{URL}{pk2}/reject/", {}, format="json").status_code == 400  # a sound one needs a note
    rejected = bureau.post(f"{URL}{pk2}/reject/", {"note": "材料不全"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"


def test_applications_are_not_edited_or_deleted(education_cast):
    transfer = make_transfer(education_cast.area("燕店镇"))
    client = api(education_cast.county_admin)
    assert client.patch(f"{URL}{transfer.pk}/", {"on": "2026-09-20"}, format="json").status_code == 405
    assert client.delete(f"{URL}{transfer.pk}/").status_code == 405


@pytest.mark.parametrize("name", ["status", "school", "student", "year"])
def test_list_filters(education_cast, name):
    township = education_cast.area("燕店镇")
    one = make_transfer(township)
    two = make_transfer(township, to_class=make_class(make_school(township), grade=1, year=2025), status="rejected")
    value = {
        "status": "rejected",
        "school": two.to_school_id,
        "student": two.student_id,
        "year": 2025,
    }[name]
    rows = api(education_cast.county_admin).get(URL, {name: value}).json()["results"]
    assert [row["id"] for row in rows] == [two.pk]
    assert one.pk not in [row["id"] for row in rows]
