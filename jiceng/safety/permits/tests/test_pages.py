"""Pages: the live board (HTMX rows), the distribution (chart + tables), a permit's page with its rule
and buttons, the refusal page, the add form, a report's page, and the figures computed from rows."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from jiceng.safety.permits import selectors, services
from jiceng.safety.permits.models import WorkPermit
from jiceng.safety.permits.tests.factories import make_permit, make_report
from jiceng.safety.testing import make_enterprise

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def test_the_board_lists_open_permits_with_time_left_and_refreshes_by_htmx(safety_cast, plant, client, now):
    active = make_permit(
        plant.area,
        enterprise=plant,
        state="active",
        valid_from=now - HOUR,
        valid_until=now + 3 * HOUR,
        location="合成车间",
    )
    lapsed = make_permit(
        plant.area,
        enterprise=plant,
        state="active",
        valid_from=now - 9 * HOUR,
        valid_until=now - HOUR,
        location="装卸栈台",
    )
    make_permit(plant.area, enterprise=plant, state="closed", valid_from=now - HOUR, location="已关闭的作业点")
    make_permit(safety_cast.area("南村"), state="active", valid_from=now - HOUR, location="古云镇的作业点")
    client.force_login(safety_cast.township_staff)
    html = client.get(reverse("safety_permits:board")).content.decode()
    rows = reverse("safety_permits:board_rows")
    assert f'hx-get="{rows}?area={safety_cast.area("燕店镇").code}"' in html and 'hx-trigger="every 10s"' in html
    assert "合成车间" in html and "装卸栈台" in html
    assert "已关闭的作业点" not in html and "古云镇的作业点" not in html
    assert "<script>" not in html and "style=" not in html
    assert html.index("装卸栈台") < html.index("合成车间")  # the soonest to lapse first
    partial = client.get(rows, {"area": safety_cast.area("燕店镇").code}).content.decode()
    assert "<html" not in partial and active.get_absolute_url() in partial and lapsed.get_absolute_url() in partial
    board = selectors.board_rows(safety_cast.township_staff, safety_cast.area("燕店镇").path, now=now)
    assert [(r["permit"].pk, r["remaining"], r["is_expired"]) for r in board] == [
        (lapsed.pk, -HOUR, True),
        (active.pk, 3 * HOUR, False),
    ]


def test_the_permit_page_shows_its_rule_time_left_and_the_steps_allowed(safety_cast, permit_data, client, now):
    permit = services.do_create_permit(data=permit_data(), acting_user=None)
    client.force_login(safety_cast.township_staff)
    html = client.get(permit.get_absolute_url()).content.decode()
    assert "72" in html and "GB 30871-2022" in html
    assert 'name="to" value="submitted"' in html and 'name="to" value="cancelled"' in html
    assert 'value="approved"' not in html  # not from a draft
    client.force_login(safety_cast.township_viewer)
    assert 'name="to"' not in client.get(permit.get_absolute_url()).content.decode()


def test_the_transition_page_runs_a_step_or_lists_every_rule(safety_cast, permit_data, client, now):
    permit = services.do_create_permit(data=permit_data(hot_work_level="special", valid_until=None), acting_user=None)
    client.force_login(safety_cast.township_staff)
    url = reverse("safety_permits:transition", args=[permit.pk])
    assert client.post(url, {"to": "submitted"}).status_code == 302
    refused = client.post(url, {"to": "approved"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert 'id="refusal"' in html and "Jiceng 默认值" in html  # the approval-level rule, cited with its source
    assert WorkPermit.objects.get(pk=permit.pk).state == "submitted"
    client.force_login(safety_cast.county_admin)
    assert client.post(url, {"to": "approved"}).status_code == 302
    assert WorkPermit.objects.get(pk=permit.pk).state == "approved"
    client.force_login(safety_cast.outsider)
    assert client.post(url, {"to": "cancelled"}).status_code == 404


def test_the_add_form_computes_the_level_and_refuses_a_long_window(safety_cast, plant, client, now):
    client.force_login(safety_cast.township_staff)
    url = reverse("safety_permits:workpermit_add")
    assert 'name="height_m"' in client.get(url).content.decode()
    form = {
        "enterprise": plant.pk,
        "work_type": "height",
        "height_m": "16",
        "location": "脱硫塔",
        "content": "检修",
        "workers": "3",
        "applicant": "张伟",
        "guardian": "李强",
        "valid_from": "2026-03-10T11:00",
        "valid_until": "2026-03-17T11:01",
    }
    refused = client.post(url, form)
    assert refused.status_code == 409 and not WorkPermit.objects.exists()
    response = client.post(url, {**form, "valid_until": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    permit = WorkPermit.objects.get()
    assert (permit.level, permit.duration) == ("III", dt.timedelta(days=7))


def test_the_report_page_says_whether_a_permit_covers_it(safety_cast, plant, client, now):
    report = make_report(plant.area, enterprise=plant, starts_at=now - HOUR, location="2#储罐")
    client.force_login(safety_cast.township_staff)
    assert 'role="alert"' in client.get(report.get_absolute_url()).content.decode()
    permit = make_permit(plant.area, enterprise=plant, state="active", valid_from=now - 2 * HOUR)
    html = client.get(report.get_absolute_url()).content.decode()
    assert permit.get_absolute_url() in html
    listing = client.get(reverse("safety_permits:operationreport_list")).content.decode()
    assert report.get_absolute_url() in listing
    assert client.get(permit.get_absolute_url()).content.decode().count(report.get_absolute_url()) == 1


@pytest.fixture
def reports(safety_cast, now):
    """燕店镇/东村: A 3 hot work (5 workers each, one uncovered), 1 confined space; 燕店镇/西村: B 2 height;
    古云镇/南村: C 1 hot work."""
    a = make_enterprise(safety_cast.area("东村"), name="甲化工")
    b = make_enterprise(safety_cast.area("西村"), name="乙化工")
    c = make_enterprise(safety_cast.area("南村"), name="丙化工")
    start = now - 48 * HOUR
    for hours in (0, 1, 2):
        make_report(a.area, enterprise=a, starts_at=start + hours * HOUR, workers=5)
    make_permit(a.area, enterprise=a, state="closed", valid_from=start - HOUR, valid_until=start + 2 * HOUR)
    make_report(a.area, enterprise=a, starts_at=start, work_type="confined_space", workers=2)
    make_permit(a.area, enterprise=a, work_type="confined_space", state="closed", valid_from=start - HOUR)
    for hours in (0, 5):
        make_report(b.area, enterprise=b, starts_at=start + hours * HOUR, work_type="height", workers=4)
    make_report(c.area, enterprise=c, starts_at=now + HOUR, workers=7)
    return safety_cast


def test_distribution_by_area_work_type_and_enterprise(reports, now):
    data = selectors.distribution(reports.county_admin, reports.area("莘县"), now=now)
    assert data["totals"] == {"operations": 7, "workers": 32, "covered": 3, "uncovered": 3}
    areas = {
        row["area"].name: (row["operations"], row["workers"], row["covered"], row["uncovered"]) for row in data["areas"]
    }
    assert areas == {"燕店镇": (6, 25, 3, 3), "古云镇": (1, 7, 0, 0)}
    types = {row["work_type"]: (row["operations"], row["workers"]) for row in data["work_types"]}
    assert types["hot_work"] == (4, 22) and types["height"] == (2, 8) and types["lifting"] == (0, 0)
    assert [(row["enterprise__name"], row["operations"]) for row in data["enterprises"]] == [
        ("甲化工", 4),
        ("乙化工", 2),
        ("丙化工", 1),
    ]
    township = selectors.distribution(reports.county_admin, reports.area("燕店镇"), now=now)
    assert {row["area"].name: row["operations"] for row in township["areas"]} == {"东村": 4, "西村": 2}


def test_distribution_page_has_the_chart_and_the_tables(reports, client):
    client.force_login(reports.county_admin)
    html = client.get(reverse("safety_permits:distribution"), {"area": reports.area("莘县").code}).content.decode()
    assert 'data-chart="chart-permits-area"' in html and 'data-chart="chart-permits-type"' in html
    found = re.search(r'<script id="chart-permits-area" type="application/json">(.*?)</script>', html)
    chart = json.loads(found.group(1))
    assert chart["categories"] == ["古云镇", "燕店镇"] and chart["series"][0]["data"] == [1, 6]  # by division code
    assert f'href="?area={reports.area("燕店镇").code}' in html and "甲化工" in html
    client.force_login(reports.township_staff)
    scoped = client.get(reverse("safety_permits:distribution")).content.decode()
    assert "丙化工" not in scoped and "甲化工" in scoped


def test_distribution_api(reports, api):
    url = reverse("safety-operation-distribution")
    body = api(reports.county_admin).get(url, {"area": reports.area("莘县").code}).json()
    assert body["totals"] == {"operations": 7, "workers": 32, "covered": 3, "uncovered": 3}
    assert [(row["area"], row["operations"]) for row in body["areas"]] == [("371522106000", 1), ("371522109000", 6)]
    period = api(reports.county_admin).get(url, {"start": "2026-03-09", "end": "2026-03-10"}).json()
    assert period["totals"]["operations"] == 1  # only 丙化工's work starts on 10 March
    assert api(reports.county_admin).get(url, {"start": "yesterday"}).status_code == 400
    assert api().get(url).status_code == 401


def test_report_api_says_whether_it_is_covered(reports, api):
    rows = api(reports.county_admin).get(reverse("operationreport-list"), {"page_size": 50}).json()["results"]
    assert sorted(row["is_covered"] for row in rows) == [False] * 4 + [True] * 3
