"""The 清零 figures are computed from the rows (set-based), inside the caller's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jiceng.core.checklists.models import Campaign, ChecklistRun, ChecklistTemplate
from jiceng.safety.hazards import selectors, services
from jiceng.safety.hazards.tests.factories import make_campaign, make_group, make_inspection, make_target
from jiceng.safety.hazards.tests.helpers import TODAY, accepted, enterprise, report, submitted

pytestmark = pytest.mark.django_db


def test_ledger_totals_and_areas_count_the_rows(hz):
    accepted(hz.company, user=hz.staff, on=TODAY)  # open, in time
    accepted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=40))  # overdue
    done = submitted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=3))
    services.do_verify(done, passed=True, on=TODAY, acting_user=hz.staff)
    report(hz.company, user=hz.staff, severity="major")
    west = enterprise(hz.area("西村"))
    report(west, user=hz.staff, found_on=TODAY - dt.timedelta(days=9))  # entered late
    report(enterprise(hz.area("古云镇")), user=hz.county_admin)  # outside 燕店镇

    root = hz.area("燕店镇")
    hazards = selectors.visible_hazards(hz.staff, root.path)
    totals = selectors.hazard_totals(hazards, on=TODAY)
    assert (totals["found"], totals["closed"], totals["open"], totals["overdue"]) == (5, 1, 4, 1)
    assert (totals["major"], totals["major_open"], totals["zeroed"]) == (1, 1, False)
    # entered late: the one found 40 days ago and the one in 西村 found 9 days ago
    assert totals["online_entry_rate"] == selectors.rate(3, 5)
    rows = {r["name"]: r for r in selectors.hazards_by_child(hazards, root, on=TODAY)}
    assert (rows["东村"]["found"], rows["东村"]["overdue"], rows["东村"]["major_open"]) == (4, 1, 1)
    assert (rows["西村"]["found"], rows["西村"]["zeroed"], rows["西村"]["on_time"]) == (1, True, 0)
    county = selectors.visible_hazards(hz.county_admin, hz.area("莘县").path)
    assert selectors.hazard_totals(county, on=TODAY)["found"] == 6


def test_overdue_counts_late_submissions_but_not_timely_ones(hz):
    timely = submitted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=40))
    late = accepted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=40))
    services.do_record_evidence(late, description="迟交", acting_user=hz.staff)
    services.do_transition(late, to="submitted", on=TODAY, acting_user=hz.staff)
    overdue = selectors.visible_hazards(hz.staff).filter(selectors.overdue_q(TODAY))
    assert list(overdue.values_list("pk", flat=True)) == [late.pk]
    assert not timely.is_overdue(TODAY)


def test_campaign_figures_zeroing_and_the_three_rates(hz):
    campaign = make_campaign(hz.area("莘县"), starts_on=dt.date(2026, 11, 1))
    template = ChecklistTemplate.objects.create(key="test.self_check", name="自查")
    checklist = Campaign.objects.create(
        template=template, name="自查", area_path=campaign.area.path, period="2026", due_on=TODAY
    )
    group = make_group(hz.area("莘县"), campaign=campaign, template=template)
    companies = [hz.company, enterprise(hz.area("东村")), enterprise(hz.area("西村")), enterprise(hz.area("古云镇"))]
    for index, company in enumerate(companies):
        run = ChecklistRun.objects.create(
            campaign=checklist,
            content_type=ContentType.objects.get_for_model(company),
            object_id=str(company.pk),
            subject_repr=company.name,
            area_path=company.area.path,
            due_on=TODAY,
            completed_at=timezone.now() if index != 1 else None,
        )
        make_target(company.area, group=group, enterprise=company, run=run)
    report(companies[0], user=hz.staff, severity="major", campaign=campaign)  # not cleared to zero
    closed = submitted(companies[1], user=hz.staff, on=TODAY)
    services.do_verify(closed, passed=True, on=TODAY, acting_user=hz.staff)
    make_inspection(hz.area("东村"), enterprise=companies[0], campaign=campaign, inspected_on=TODAY)
    make_inspection(hz.area("东村"), enterprise=companies[1], campaign=campaign, kind="self_check", inspected_on=TODAY)

    figures = selectors.campaign_figures(hz.staff, campaign, hz.area("燕店镇"), on=TODAY)
    totals = figures["totals"]
    assert (totals["targets"], totals["zeroed"], totals["inspected"], totals["self_checked"]) == (3, 2, 1, 2)
    assert totals["coverage_rate"] == selectors.rate(1, 3)  # a self-check is not an inspection
    assert totals["self_check_rate"] == selectors.rate(2, 3)
    assert totals["online_entry_rate"] == selectors.rate(1, 1)  # one hazard in the campaign, entered on time
    assert {a["name"]: a["targets"]["targets"] for a in figures["areas"]} == {"东村": 2, "西村": 1}
    assert [row["enterprise"] for row in selectors.not_zeroed(hz.staff, campaign, hz.area("燕店镇").path)] == [
        companies[0].pk
    ]
    county = selectors.campaign_figures(hz.county_admin, campaign, hz.area("莘县"), on=TODAY)["totals"]
    assert (county["targets"], county["zeroed"]) == (4, 3)


def test_the_overview_is_a_fixed_number_of_queries(hz, client, django_assert_max_num_queries):
    for day in range(6):
        accepted(enterprise(hz.area("东村")), user=hz.staff, on=TODAY - dt.timedelta(days=day * 5))
    client.force_login(hz.staff)
    with django_assert_max_num_queries(20):
        assert client.get("/safety/hazards/").status_code == 200
