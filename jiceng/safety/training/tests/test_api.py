"""The API: writes through the services (their refusals as 400/409), figures as JSON, scope, masking."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from jiceng.core.policies.services import get_policy
from jiceng.directory.tests.factories import make_person
from jiceng.safety.training import rules
from jiceng.safety.training.tests.factories import supervised

API = "/api/v1/safety"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def enterprise(safety_cast):
    return supervised(safety_cast.area("东村"), employees=10)


def test_trainings_with_named_attendees_and_the_figures(safety_cast, api, enterprise):
    client = api(safety_cast.township_staff)
    people = [make_person(safety_cast.area("东村")).pk for _ in range(3)]
    made = client.post(
        f"{API}/trainings/",
        {"enterprise": enterprise.pk, "held_on": "2026-03-02", "topic": "全员培训", "attendees": people},
        format="json",
    )
    assert made.status_code == 201, made.json()
    assert made.json()["participants"] == 3 and sorted(made.json()["attendees"]) == sorted(people)
    refused = client.post(
        f"{API}/trainings/",
        {"enterprise": enterprise.pk, "held_on": "2026-03-02", "topic": "x", "participants": 1, "attendees": people},
        format="json",
    )
    assert refused.status_code == 400 and "participants" in refused.json()["errors"]
    figures = client.get(f"{API}/training-figures/", {"area": safety_cast.area("燕店镇").code}).json()
    assert figures["area"] == safety_cast.area("燕店镇").code
    assert figures["totals"]["trained"] == 3 and figures["totals"]["participation"] == "30.0"
    east = next(r for r in figures["rows"] if r["area"]["name"] == "东村")
    assert east["trained"] == 3
    assert figures["target"]["policy"] == rules.COVERAGE_TARGET and figures["target"]["source"]
    assert client.get(f"{API}/training-figures/", {"from": "nonsense"}).status_code == 400
    # the sibling township: its own (empty) figures, our row invisible
    theirs = api(safety_cast.outsider).get(f"{API}/training-figures/", {"area": safety_cast.area("东村").code}).json()
    assert theirs["area"] == safety_cast.area("古云镇").code and theirs["totals"]["trained"] == 0
    assert api(safety_cast.outsider).get(f"{API}/trainings/").json()["count"] == 0


def test_exams_refuse_more_passes_than_candidates(safety_cast, api, enterprise):
    client = api(safety_cast.township_staff)
    body = {"enterprise": enterprise.pk, "held_on": "2026-03-02", "title": "考试", "candidates": 4, "passed": 5}
    assert client.post(f"{API}/exams/", body, format="json").status_code == 400
    body["passed"] = 4
    made = client.post(f"{API}/exams/", body, format="json")
    assert made.status_code == 201 and made.json()["pass_rate"] == "100.0"


def test_spot_tests_and_results(safety_cast, api, enterprise):
    client = api(safety_cast.township_staff)
    test = client.post(
        f"{API}/spot-tests/",
        {"enterprise": enterprise.pk, "tested_on": "2026-03-02", "officer": "执法人员"},
        format="json",
    ).json()
    mark = get_policy(rules.PASS_MARK, area_path=enterprise.area.path, on=dt.date(2026, 3, 2)).value
    assert float(test["pass_mark"]) == mark
    for score in (mark, mark - 1):
        person = make_person(safety_cast.area("东村"))
        made = client.post(
            f"{API}/spot-test-results/", {"spot_test": test["id"], "employee": person.pk, "score": score}, format="json"
        )
        assert made.status_code == 201
        assert made.json()["passed"] is (score >= mark)
    again = client.get(f"{API}/spot-tests/{test['id']}/").json()
    assert (again["tested"], again["passed"], again["pass_rate"]) == (2, 1, "50.0")
    figures = client.get(f"{API}/spot-test-figures/", {"area": safety_cast.area("燕店镇").code}).json()
    assert figures["totals"]["tested"] == 2 and figures["totals"]["pass_rate"] == "50.0"


def test_certificate_checks_validate_the_id_and_mask_it_for_viewers(safety_cast, api, enterprise):
    client = api(safety_cast.township_staff)
    body = {
        "enterprise": enterprise.pk,
        "checked_on": "2026-03-02",
        "inspector": "执法人员",
        "holder_name": "孙八",
        "holder_id_number": "371522198001010012",
        "kind": "safety_manager",
        "certificate_number": "37000009",
        "issuing_authority": "聊城市应急管理局",
        "valid_until": "2026-03-01",
    }
    bad = client.post(f"{API}/certificate-checks/", body, format="json")
    assert bad.status_code == 400 and "holder_id_number" in bad.json()["errors"]
    number = make_person(safety_cast.area("东村")).id_number
    body["holder_id_number"] = number
    made = client.post(f"{API}/certificate-checks/", body, format="json")
    assert made.status_code == 201 and made.json()["result"] == "expired"
    assert made.json()["holder_id_number"] == number
    seen = api(safety_cast.township_viewer).get(f"{API}/certificate-checks/{made.json()['id']}/").json()
    assert seen["holder_id_number"] != number and seen["holder_id_number"].startswith(number[:4])
    alerts = client.get("/api/v1/alerts/", {"rule": "safety.certificate_expired"}).json()
    assert alerts["count"] == 1
    figures = client.get(f"{API}/certificate-check-figures/").json()
    assert figures["totals"]["expired"] == 1


def test_publicity_campaigns_and_ads(safety_cast, api):
    client = api(safety_cast.township_staff)
    campaign = client.post(
        f"{API}/training-campaigns/",
        {"name": "安全宣传五进", "kind": "publicity", "starts_on": "2026-01-01", "ends_on": "2026-12-31"},
        format="json",
    )
    assert campaign.status_code == 201
    made = client.post(
        f"{API}/publicity/",
        {
            "target": "school",
            "area": safety_cast.area("东村").pk,
            "held_on": "2026-03-02",
            "title": "安全教育第一课",
            "participants": 200,
            "campaign": campaign.json()["id"],
        },
        format="json",
    )
    assert made.status_code == 201
    outside = client.post(
        f"{API}/publicity/",
        {"target": "village", "area": safety_cast.area("古云镇").pk, "held_on": "2026-03-02", "title": "x"},
        format="json",
    )
    assert outside.status_code == 400  # an Area outside one's own reads as "does not exist"
    figures = client.get(f"{API}/publicity-figures/", {"campaign": campaign.json()["id"]}).json()
    school = next(t for t in figures["by_target"] if t["target"] == "school")
    assert (school["activities"], school["participants"]) == (1, 200)
    ad = client.post(f"{API}/public-service-ads/", {"title": "标语", "text": "安全生产 是民生大事"}, format="json")
    assert ad.status_code == 201 and ad.json()["image_url"] is None
    # the library is shared: the sibling township sees the ad too
    assert api(safety_cast.outsider).get(f"{API}/public-service-ads/{ad.json()['id']}/").status_code == 200


def test_an_ad_picture_through_the_api(safety_cast, api, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    client = api(safety_cast.township_staff)
    ad = client.post(f"{API}/public-service-ads/", {"title": "标语", "text": "一丝一毫 不能放松"}, format="json").json()
    url = f"{API}/public-service-ads/{ad['id']}/image/"
    bad = client.post(url, {"image": SimpleUploadedFile("a.png", b"GIF89a....")}, format="multipart")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 16
    done = client.post(url, {"image": SimpleUploadedFile("a.webp", webp)}, format="multipart")
    assert done.status_code == 200 and done.json()["image_url"]
    removed = client.post(url, {"remove": True}, format="multipart")
    assert removed.json()["image_url"] is None
