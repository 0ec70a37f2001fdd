"""Checklist campaigns: seeds, evidence rule, completion by area, overdue scan, API scope."""

import datetime as dt

import pytest

from jiceng.core.checklists.models import ChecklistTemplate, ItemStatus
from jiceng.core.checklists.services import (
    completion_by_area,
    do_create_campaign,
    do_mark_item,
    do_record_visit,
    load_templates,
    scan_overdue_runs,
)
from jiceng.core.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def six_cleans(db):
    load_templates()
    return ChecklistTemplate.objects.get(key="rural.household.six_cleans")


def start(template, villages, township, *, name="六净", due_on=dt.date(2026, 12, 31)):
    """A campaign of ``template`` over ``villages`` inside ``township`` (the cast's areas)."""
    return do_create_campaign(template, villages, name=name, period="2026", due_on=due_on, area_path=township.path)


def test_seed_loads_idempotently_with_exact_wording(db):
    assert load_templates()[0] == 4
    assert load_templates() == (0, 4)
    template = ChecklistTemplate.objects.get(key="party.first_secretary.six_ones")
    assert template.items.first().text == "建立一本团员青年台账"
    assert template.items.count() == 6


def test_item_requiring_a_photo_cannot_be_done_without_evidence(cast, six_cleans):
    campaign = start(six_cleans, [cast.area("东村")], cast.area("燕店镇"))
    result = campaign.runs.get().results.first()
    with pytest.raises(InvalidInput, match="门前净") as refused:
        do_mark_item(result, status=ItemStatus.DONE)
    assert refused.value.code == "evidence_required"
    do_mark_item(result, status=ItemStatus.DONE, evidence_note="照片 IMG_001")
    result.refresh_from_db()
    assert result.status == ItemStatus.DONE


def test_completion_rates_by_area_and_run_completion(cast, six_cleans):
    subjects = [cast.area("东村"), cast.area("西村"), cast.area("南村")]
    campaign = do_create_campaign(
        six_cleans, subjects, name="六净", period="2026", due_on=dt.date(2026, 12, 31), area_path=cast.area("莘县").path
    )
    east = campaign.runs.get(object_id=str(cast.area("东村").pk))
    for result in east.results.all():
        do_mark_item(result, status=ItemStatus.DONE, evidence_note="照片")
    south = campaign.runs.get(object_id=str(cast.area("南村").pk))
    first, second = list(south.results.all())[:2]
    do_mark_item(first, status=ItemStatus.DONE, evidence_note="照片")
    do_mark_item(second, status=ItemStatus.NOT_APPLICABLE)
    east.refresh_from_db()
    assert east.completed_at is not None
    rows = {r["child"]: r for r in completion_by_area(campaign, cast.area("莘县").path)}
    yandian, guyun = rows[cast.area("燕店镇").path], rows[cast.area("古云镇").path]
    assert (yandian["done"], yandian["applicable"], yandian["complete_runs"], yandian["runs"]) == (6, 12, 1, 2)
    assert str(yandian["rate"]) == "50.0"
    assert (guyun["done"], guyun["applicable"]) == (1, 5)
    assert str(guyun["rate"]) == "20.0"


def test_campaign_subjects_must_lie_in_its_area(cast, six_cleans):
    with pytest.raises(InvalidInput):
        start(six_cleans, [cast.area("南村")], cast.area("燕店镇"))


def test_visit_findings_must_name_real_items(cast, six_cleans):
    campaign = start(six_cleans, [cast.area("东村")], cast.area("燕店镇"))
    run = campaign.runs.get()
    assert do_record_visit(run, visited_on=dt.date(2026, 11, 20), findings={"3": "室内杂物较多"}).findings == {
        "3": "室内杂物较多"
    }
    with pytest.raises(InvalidInput):
        do_record_visit(run, visited_on=dt.date(2026, 11, 20), findings={"9": "?"})


def test_overdue_scan_raises_one_alert_per_run(cast, six_cleans):
    pytest.importorskip("jiceng.core.alerts.services", reason="the alerts engine is not in this tree yet")
    from jiceng.core.alerts.models import Alert

    start(six_cleans, [cast.area("东村")], cast.area("燕店镇"), due_on=dt.date(2026, 11, 1))
    assert scan_overdue_runs(dt.date(2026, 11, 20)) == 1
    assert scan_overdue_runs(dt.date(2026, 11, 21)) == 0
    assert Alert.objects.filter(rule="checklists.item_overdue").count() == 1


def test_api_lists_templates_and_scoped_runs(cast, api, six_cleans):
    start(six_cleans, [cast.area("东村")], cast.area("燕店镇"))
    body = api(cast.township_staff).get("/api/v1/checklists/").json()
    assert {t["key"] for t in body["results"]} >= {"rural.household.six_cleans"}
    assert api(cast.county_admin).get("/api/v1/checklist-runs/").json()["count"] == 1
    assert api(cast.outsider).get("/api/v1/checklist-runs/").status_code == 403  # no checklist role at all
    assert api().get("/api/v1/checklists/").status_code == 401


def test_pages_mark_items_and_show_completion(cast, client, six_cleans):
    from jiceng.accounts.services import do_create_user
    from jiceng.core.testing import PASSWORD

    do_create_user(
        username="checker",
        password=PASSWORD,
        area_code="371522109000",
        role_keys=["checklists_editor"],
        check_password=False,
    )
    campaign = start(six_cleans, [cast.area("东村")], cast.area("燕店镇"), name="六净督查")
    run = campaign.runs.get()
    result = run.results.first()
    client.login(username="checker", password=PASSWORD)
    page = client.get(f"/checklists/runs/{run.pk}/").content.decode()
    assert "门前净" in page and f"/checklists/items/{result.pk}/mark/" in page
    refused = client.post(f"/checklists/items/{result.pk}/mark/", {"status": "done"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "门前净" in refused.content.decode()
    ok = client.post(
        f"/checklists/items/{result.pk}/mark/", {"status": "done", "evidence_note": "照片1"}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200
    table = client.get(f"/checklists/campaigns/{campaign.pk}/completion/").content.decode()
    assert "东村" in table and "16.7%" in table  # 1 of 6 items done
    client.login(username="outsider", password=PASSWORD)
    assert client.post(f"/checklists/items/{result.pk}/mark/", {"status": "na"}).status_code == 404
