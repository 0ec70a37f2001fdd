"""The API under /api/v1/finance/: targets and reports, deviations, findings with their steps (200,
or 409 with reasons and nothing written), idle-fund scan, reports and their downloads, review notes;
an outsider gets 404."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from jiceng.finance.results.models import Finding, FindingResponse, IdleFundWarning, MonitoringReport, ReviewNote
from jiceng.finance.results.tests.helpers import JULY, issue, report, target

pytestmark = pytest.mark.django_db
API = "/api/v1/finance/"


def test_targets_reports_and_deviations(fr, api):
    client = api(fr.staff)
    made = client.post(
        f"{API}targets/",
        {
            "project": fr.project.pk,
            "category": "output_quantity",
            "indicator": "新建高标准农田面积",
            "target_value": "1000",
            "unit": "亩",
            "direction": "higher",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    target_id = made.json()["id"]
    posted = client.post(
        f"{API}target-reports/",
        {"target": target_id, "reported_on": JULY.isoformat(), "achieved": "300", "forecast": "500"},
        format="json",
    )
    assert posted.status_code == 201, posted.content
    found = client.get(f"{API}deviations/", {"on": JULY.isoformat()}).json()["deviations"]
    assert [(d["target"], d["flagged"], d["forecast"]) for d in found] == [(target_id, True, "500")]
    assert found[0]["policy"] == "finance.targets.deviation_tolerance_pct" and found[0]["source"]
    trend = client.get(f"{API}targets/{target_id}/trend/").json()
    assert trend["series"][0]["flagged"] is True
    summary = client.get(f"{API}target-summary/", {"on": JULY.isoformat()}).json()
    assert summary["totals"]["deviating"] == 1
    bad = client.post(
        f"{API}target-reports/",
        {"target": target_id, "reported_on": "2027-01-05", "achieved": "1", "forecast": "1"},
        format="json",
    )
    assert bad.status_code == 400


def test_finding_steps_answer_200_or_409_with_reasons(fr, api):
    bureau, staff = api(fr.bureau), api(fr.staff)
    made = bureau.post(
        f"{API}findings/",
        {
            "project": fr.project.pk,
            "kind": "execution_lag",
            "text": "执行进度滞后",
            "measures": ["reduce_budget"],
            "issued_on": "2026-11-02",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "issued" and body["department"] == fr.project.unit_id and body["due_on"]
    url = f"{API}findings/{body['id']}/"
    refused = bureau.post(f"{url}close/", {"on": "2026-11-03"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "guard_failed" and refused.json()["reasons"]
    assert Finding.objects.get(pk=body["id"]).status == "issued"
    answered = staff.post(f"{url}respond/", {"text": "已申请调减预算", "on": "2026-11-04"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "responded"
    refused = bureau.post(f"{url}close/", {"on": "2026-11-05"}, format="json")
    assert refused.status_code == 409
    (reason,) = refused.json()["reasons"]
    assert reason["policy"] == "finance.findings.reduction_before_closure" and reason["source"]
    assert Finding.objects.get(pk=body["id"]).status == "responded"
    rejected = bureau.post(f"{url}reject/", {"reason": "请先完成调减", "on": "2026-11-05"}, format="json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "issued" and rejected.json()["round"] == 2
    assert FindingResponse.objects.get(finding_id=body["id"]).rejected_on == dt.date(2026, 11, 5)
    assert bureau.post(f"{url}respond/", {"text": "", "on": "2026-11-05"}, format="json").status_code == 400
    steps = bureau.get(f"{url}refusals/", {"step": "close"}).json()
    assert steps["reasons"]


def test_scan_reports_downloads_and_notes(fr, api):
    from jiceng.finance.results import rules
    from jiceng.finance.results.tests.helpers import policy_value
    from jiceng.finance.testing import add_spending, make_project

    bureau = api(fr.bureau)
    check_on = rules.month_end(2026, policy_value(rules.LARGE_MONTH, fr.project, dt.date(2026, 8, 1)))
    minimum = policy_value(rules.LARGE_MIN_YUAN, fr.project, check_on)
    slow = make_project(fr.department, budget=minimum, name="资金沉淀项目")
    add_spending(slow, dt.date(2026, 2, 1), "1000")
    scanned = bureau.post(f"{API}idle-fund-warnings/scan/", {"on": check_on.isoformat()}, format="json")
    assert scanned.status_code == 201, scanned.content
    assert [w["project"] for w in scanned.json()] == [slow.pk]
    warning = IdleFundWarning.objects.get()
    turned = bureau.post(
        f"{API}idle-fund-warnings/{warning.pk}/finding/", {"measures": ["recover_balance"]}, format="json"
    )
    assert turned.status_code == 201 and turned.json()["kind"] == "idle_funds"

    made = bureau.post(f"{API}reports/", {"area": fr.area("莘县").pk, "period_end": JULY.isoformat()}, format="json")
    assert made.status_code == 201, made.content
    report_id = made.json()["id"]
    xlsx = bureau.get(f"{API}reports/{report_id}/download/", {"fmt": "xlsx"})
    assert xlsx.status_code == 200
    load_workbook(io.BytesIO(b"".join(xlsx.streaming_content) if xlsx.streaming else xlsx.content))
    assert bureau.get(f"{API}reports/{report_id}/download/", {"fmt": "docx"}).status_code == 200
    assert bureau.get(f"{API}reports/{report_id}/download/", {"fmt": "exe"}).status_code == 404

    note = bureau.post(
        f"{API}review-notes/",
        {
            "department": fr.department.pk,
            "project": fr.project.pk,
            "recommendation": "reduce",
            "text": "压减一半",
            "amount": "500000",
        },
        format="json",
    )
    assert note.status_code == 201, note.content
    assert note.json()["for_year"] == fr.project.year + 1
    assert ReviewNote.objects.get().amount == 500000


def test_the_outsider_gets_404_for_every_row(fr, api):
    goal = target(fr.project, user=fr.staff, value="100")
    report(goal, user=fr.staff, forecast="100")
    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 11, 2))
    made = MonitoringReport.objects.create(area=fr.area("燕店镇"), year=2026, period_end=JULY, title="燕店镇报告")
    outsider = api(fr.outsider)
    for url in (
        f"{API}targets/{goal.pk}/",
        f"{API}findings/{finding.pk}/",
        f"{API}reports/{made.pk}/",
        f"{API}reports/{made.pk}/download/?fmt=xlsx",
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(f"{API}findings/{finding.pk}/respond/", {"text": "x"}, format="json").status_code == 404
    assert outsider.get(f"{API}findings/").json()["count"] == 0
    assert api().get(f"{API}findings/").status_code == 401
