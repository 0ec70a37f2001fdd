"""The pages render (200) with the expected content; forms refuse with every reason (409)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiceng.safety.hazards import services
from jiceng.safety.hazards.models import Hazard, RectificationEvidence
from jiceng.safety.hazards.tests.factories import make_campaign, make_group, make_target
from jiceng.safety.hazards.tests.helpers import TODAY, accepted, enterprise, report, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(hz, client):
    client.force_login(hz.staff)
    return client


def page(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def test_the_overview_drills_down_the_area_tree(hz, staff):
    late = accepted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=40))
    west = enterprise(hz.area("西村"))
    report(west, user=hz.staff)
    html = page(staff, reverse("safety_hazards:overview"))
    assert "燕店镇" in html and f"?area={hz.area('东村').code}" in html and "data-chart" in html
    assert late.enterprise.name in html  # enterprises with open hazards
    village = page(staff, reverse("safety_hazards:overview"), area=hz.area("东村").code)
    assert west.name not in village and late.enterprise.name in village
    assert f"?area={hz.area('燕店镇').code}" in village  # the up link
    # outside the user's scope the parameter is ignored: the user's own area is shown
    assert "燕店镇" in page(staff, reverse("safety_hazards:overview"), area=hz.area("古云镇").code)


def test_the_hazard_page_says_what_stops_the_next_step(hz, staff):
    hazard = report(hz.company, user=hz.staff, severity="major")
    html = page(staff, hazard.get_absolute_url())
    assert "挂牌督办" in html  # the source of the five-in-place rule, on every missing element
    assert reverse("safety_hazards:hazard_plan", args=[hazard.pk]) in html
    assert hazard.enterprise.name in html


def test_the_step_form_refuses_with_every_reason_and_changes_nothing(hz, staff):
    hazard = report(hz.company, user=hz.staff, severity="major")
    url = reverse("safety_hazards:hazard_transition", args=[hazard.pk])
    assert "form" in page(staff, url)
    response = staff.post(url, {"to": "rectifying", "on": TODAY.isoformat()})
    assert response.status_code == 409
    assert response.content.decode().count("<li>") >= 6
    assert Hazard.objects.get(pk=hazard.pk).status == "reported"


def test_the_step_form_orders_an_ordinary_rectification(hz, staff):
    hazard = report(hz.company, user=hz.staff)
    url = reverse("safety_hazards:hazard_transition", args=[hazard.pk])
    response = staff.post(url, {"to": "rectifying", "on": TODAY.isoformat()})
    assert response.status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == "rectifying"


def test_plan_evidence_and_verify_forms(hz, staff, media):
    hazard = report(hz.company, user=hz.staff, severity="major")
    plan_url = reverse("safety_hazards:hazard_plan", args=[hazard.pk])
    response = staff.post(
        plan_url,
        {
            "responsible_person": "王经理",
            "measures": "更换阀门",
            "funds_yuan": "50000",
            "deadline": (TODAY + dt.timedelta(days=30)).isoformat(),
            "contingency_plan": "专人监护",
            "supervising_unit": "莘县应急管理局",
        },
    )
    assert response.status_code == 302
    services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
    evidence_url = reverse("safety_hazards:hazard_evidence", args=[hazard.pk])
    photo = SimpleUploadedFile("整改后.jpg", b"\xff\xd8jpeg", content_type="image/jpeg")
    assert staff.post(evidence_url, {"description": "已更换", "file": photo}).status_code == 302
    evidence = RectificationEvidence.objects.get(hazard=hazard)
    served = staff.get(reverse("safety_hazards:evidence_file", args=[evidence.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"\xff\xd8jpeg"
    services.do_transition(hazard, to="submitted", on=TODAY, acting_user=hz.staff)
    html = page(staff, hazard.get_absolute_url())
    assert evidence.sha256 in html and reverse("safety_hazards:hazard_verify", args=[hazard.pk]) in html
    verify_url = reverse("safety_hazards:hazard_verify", args=[hazard.pk])
    assert staff.post(verify_url, {"passed": "1", "verified_on": TODAY.isoformat(), "notes": "到位"}).status_code == 302
    assert Hazard.objects.get(pk=hazard.pk).status == "closed"


def test_the_recording_is_served_only_through_the_scoped_view(hz, staff, client, media):
    visit = services.do_record_inspection(
        data={"enterprise": hz.company, "inspected_on": TODAY, "officers": "张明"}, acting_user=hz.staff
    )
    add = reverse("safety_hazards:recording_add", args=[visit.pk])
    photo = SimpleUploadedFile("现场.png", b"\x89PNG-bytes", content_type="image/png")
    response = staff.post(
        add, {"kind": "photo", "file": photo, "recorded_at": "2026-11-16T09:00", "recorded_by": "张明"}
    )
    assert response.status_code == 302, response.content[:800]
    recording = visit.recordings.get()
    html = page(staff, visit.get_absolute_url())
    assert recording.sha256 in html
    detail = page(staff, recording.get_absolute_url())
    file_url = reverse("safety_hazards:recording_file", args=[recording.pk])
    assert file_url in detail and "/media/" not in detail
    assert b"".join(staff.get(file_url).streaming_content) == b"\x89PNG-bytes"
    client.force_login(hz.outsider)
    assert client.get(file_url).status_code == 404


def test_the_campaign_page_shows_zeroing_progress(hz, staff):
    campaign = make_campaign(hz.area("莘县"), starts_on=dt.date(2026, 11, 1), name="百日清零测试")
    group = make_group(hz.area("莘县"), campaign=campaign, name="粉尘涉爆企业")
    make_target(hz.area("东村"), group=group, enterprise=hz.company)
    report(hz.company, user=hz.staff, severity="major", campaign=campaign)
    html = page(staff, campaign.get_absolute_url())
    assert "百日清零测试" in html and "粉尘涉爆企业" in html
    assert hz.company.name in html  # not yet cleared to zero
    assert 'id="zeroing"' in html


def test_the_dashboard_has_the_hazards_widget(hz, staff):
    submitted(hz.company, user=hz.staff, on=TODAY)
    html = page(staff, reverse("home"))
    assert reverse("safety_hazards:overview") in html and "chart-safety.hazards" in html


def test_the_list_filters_overdue(hz, staff):
    late = accepted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=40))
    fresh = accepted(hz.company, user=hz.staff, on=TODAY)
    html = page(staff, reverse("safety_hazards:hazard_list"), overdue="true")
    assert late.get_absolute_url() in html and fresh.get_absolute_url() not in html
