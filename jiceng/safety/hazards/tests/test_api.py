"""The API contract: fields and filters, transitions (200 / 409 with nothing written), verifications,
recordings served only through the scoped view, the zeroing figures."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.core.models import AuditEntry
from jiceng.core.workflow.models import TransitionLog
from jiceng.safety.hazards import rules, services
from jiceng.safety.hazards.choices import FIVE_ELEMENTS
from jiceng.safety.hazards.models import Hazard
from jiceng.safety.hazards.tests.helpers import TODAY, accepted, enterprise, report, reporter, submitted

pytestmark = pytest.mark.django_db
URL = "/api/v1/safety/hazards/"


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_list_has_the_ledger_fields_and_filters(hz, api):
    client = api(hz.staff)
    open_ordinary = accepted(hz.company, user=hz.staff, on=TODAY)
    late = accepted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=40))
    major = report(hz.company, user=hz.staff, severity="major")
    elsewhere = report(enterprise(hz.area("古云镇")), user=hz.county_admin)
    row = next(r for r in client.get(URL).json()["results"] if r["id"] == late.pk)
    assert {"severity", "status", "due_on", "overdue", "enterprise", "campaign", "found_on", "entered_on_time"} <= set(
        row
    )
    assert (row["status"], row["overdue"], row["due_on"]) == ("rectifying", True, late.due_on.isoformat())
    assert ids(client.get(URL, {"overdue": "true"})) == {late.pk}
    assert ids(client.get(URL, {"overdue": "false"})) == {open_ordinary.pk, major.pk}
    assert ids(client.get(URL, {"severity": "major"})) == {major.pk}
    assert ids(client.get(URL, {"status": "rectifying"})) == {open_ordinary.pk, late.pk}
    assert ids(client.get(URL, {"enterprise": hz.company.pk})) == {open_ordinary.pk, late.pk, major.pk}
    assert ids(client.get(URL, {"area": hz.area("东村").code})) == {open_ordinary.pk, late.pk, major.pk}
    assert elsewhere.pk not in ids(client.get(URL))  # 古云镇 is outside 燕店镇
    assert elsewhere.pk in ids(api(hz.county_admin).get(URL, {"area": hz.area("古云镇").code}))


def test_a_transition_returns_the_hazard(hz, api):
    hazard = report(hz.company, user=hz.staff)
    response = api(hz.staff).post(
        f"{URL}{hazard.pk}/transition/",
        {"to": "rectifying", "on": TODAY.isoformat(), "comment": "限期整改"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["accepted_on"]) == ("rectifying", TODAY.isoformat())
    assert body["due_on"] == Hazard.objects.get(pk=hazard.pk).due_on.isoformat()
    log = TransitionLog.objects.get(object_id=str(hazard.pk))
    assert (log.source_state, log.target_state, log.comment) == ("reported", "rectifying", "限期整改")


def test_a_refused_transition_is_409_with_every_reason_and_nothing_written(hz, api):
    hazard = report(hz.company, user=hz.staff, severity="major")
    client = api(hz.staff)  # issuing the token is audited: count after it
    audits = AuditEntry.objects.count()
    response = client.post(
        f"{URL}{hazard.pk}/transition/", {"to": "rectifying", "on": TODAY.isoformat()}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "guard_failed"
    assert len(body["reasons"]) == len(FIVE_ELEMENTS) + 1
    for reason in body["reasons"]:
        assert set(reason) == {"policy", "message", "value", "source"}
        assert reason["policy"] == rules.FIVE_IN_PLACE and reason["source"]
    hazard.refresh_from_db()
    assert (hazard.status, hazard.listed_on, hazard.due_on) == ("reported", None, None)
    assert not TransitionLog.objects.filter(object_id=str(hazard.pk)).exists()
    assert AuditEntry.objects.count() == audits


def test_the_ordinary_deadline_limit_is_a_409_too(hz, api):
    hazard = report(hz.company, user=hz.staff)
    response = api(hz.staff).post(
        f"{URL}{hazard.pk}/transition/",
        {"to": "rectifying", "on": TODAY.isoformat(), "due_on": (TODAY + dt.timedelta(days=60)).isoformat()},
        format="json",
    )
    assert response.status_code == 409
    assert [r["policy"] for r in response.json()["reasons"]] == [rules.GENERAL_WORKDAYS]


def test_closing_without_the_verify_permission_is_403_and_outsiders_get_404(hz, api):
    user = reporter(hz)
    hazard = submitted(hz.company, user=user, on=TODAY)
    response = api(user).post(f"{URL}{hazard.pk}/transition/", {"to": "closed"}, format="json")
    assert response.status_code == 403
    assert api(hz.outsider).post(f"{URL}{hazard.pk}/transition/", {"to": "closed"}, format="json").status_code == 404
    assert Hazard.objects.get(pk=hazard.pk).status == "submitted"


def test_posting_a_verification_closes_the_hazard(hz, api):
    hazard = submitted(hz.company, user=hz.staff, on=TODAY)
    response = api(hz.staff).post(
        "/api/v1/safety/verifications/",
        {"hazard": hazard.pk, "verified_on": TODAY.isoformat(), "passed": True, "notes": "整改到位"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Hazard.objects.get(pk=hazard.pk).status == "closed"
    assert response.json()["officer"] == hz.staff.pk


def test_a_plan_through_the_api_lets_a_major_hazard_be_accepted(hz, api):
    client = api(hz.staff)
    hazard = report(hz.company, user=hz.staff, severity="major")
    plan = {
        "hazard": hazard.pk,
        "responsible_person": "王经理",
        "measures": "更换阀门",
        "funds_yuan": "80000.00",
        "deadline": (TODAY + dt.timedelta(days=45)).isoformat(),
        "contingency_plan": "专人监护",
        "supervising_unit": "莘县应急管理局",
    }
    assert client.post("/api/v1/safety/rectification-plans/", plan, format="json").status_code == 201
    response = client.post(f"{URL}{hazard.pk}/transition/", {"to": "rectifying"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["listed_on"] == TODAY.isoformat()


def test_status_is_not_written_through_the_record(hz, api):
    hazard = report(hz.company, user=hz.staff)
    response = api(hz.staff).patch(f"{URL}{hazard.pk}/", {"status": "closed", "description": "改"}, format="json")
    assert response.status_code == 200
    hazard.refresh_from_db()
    assert (hazard.status, hazard.description) == ("reported", "改")


def test_a_recording_is_uploaded_with_its_sha256_and_served_only_in_scope(hz, api, media):
    visit = services.do_record_inspection(
        data={"enterprise": hz.company, "inspected_on": TODAY, "officers": "张明"}, acting_user=hz.staff
    )
    content = b"RIFF-audio" * 50
    response = api(hz.staff).post(
        "/api/v1/safety/recordings/",
        {
            "inspection": visit.pk,
            "kind": "audio",
            "file": SimpleUploadedFile("询问.wav", content, content_type="audio/wav"),
            "recorded_at": "2026-11-16T09:00:00+08:00",
            "recorded_by": "张明",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert "media" not in body["download"]
    served = api(hz.staff).get(body["download"])
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    assert api(hz.outsider).get(body["download"]).status_code == 404
    assert api().get(body["download"]).status_code == 401


def test_the_zeroing_figures(hz, api):
    from jiceng.safety.hazards.tests.factories import make_campaign, make_group, make_target

    campaign = make_campaign(hz.area("莘县"), starts_on=dt.date(2026, 11, 1))
    group = make_group(hz.area("莘县"), campaign=campaign)
    clean = enterprise(hz.area("东村"))
    make_target(hz.area("东村"), group=group, enterprise=hz.company)
    make_target(hz.area("东村"), group=group, enterprise=clean)
    report(hz.company, user=hz.staff, severity="major", campaign=campaign)
    body = api(hz.staff).get("/api/v1/safety/zeroing/", {"campaign": campaign.pk}).json()
    assert body["area"] == hz.area("燕店镇").code  # the caller's own area inside the campaign's
    assert (body["totals"]["targets"], body["totals"]["zeroed"], body["totals"]["zeroing_rate"]) == (2, 1, "50.0")
    assert body["hazards"]["major_open"] == 1
    ledger = api(hz.staff).get("/api/v1/safety/zeroing/").json()
    assert ledger["totals"]["found"] == 1
    assert api(hz.outsider).get("/api/v1/safety/zeroing/", {"campaign": campaign.pk}).json()["totals"]["targets"] == 0


def test_a_campaign_is_visible_below_its_area_but_changed_only_inside_ones_own(hz, api):
    from jiceng.safety.hazards.tests.factories import make_campaign

    county = make_campaign(hz.area("莘县"), name="县级专项")
    sibling = make_campaign(hz.area("古云镇"), name="古云镇专项")
    client = api(hz.staff)
    listed = {row["id"] for row in client.get("/api/v1/safety/campaigns/").json()["results"]}
    assert county.pk in listed and sibling.pk not in listed
    assert client.patch(f"/api/v1/safety/campaigns/{county.pk}/", {"name": "改"}, format="json").status_code == 404
    assert (
        api(hz.county_admin)
        .patch(f"/api/v1/safety/campaigns/{county.pk}/", {"name": "县级专项（改）"}, format="json")
        .status_code
        == 200
    )
