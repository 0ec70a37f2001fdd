"""Teaching-diagnosis visits, research days and school-building projects (E04, E11); scope 404s."""

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.core.errors import InvalidInput
from jiceng.education.choices import Subject
from jiceng.education.groupwork import selectors, services
from jiceng.education.groupwork.models import BuildingProject, DiagnosisVisit
from jiceng.education.groupwork.tests.factories import make_allocation, make_group, make_project, make_visit
from jiceng.education.testing import make_school

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 10, 12)


def visit(cast, **kw):
    data = {
        "group": cast.group,
        "team": "王老师 赵老师",
        "visited_school": cast.member,
        "visited_on": ON,
        "subjects": "chinese,maths",
        "findings": "作业设计层次不够",
        **kw,
    }
    return services.do_record_visit(data=data, acting_user=cast.county_admin)


class TestVisits:
    def test_the_lead_school_team_by_default(self, gw):
        row = visit(gw)
        assert row.team_school == gw.group.lead_school
        assert row.area == gw.group.area
        assert row.subject_display() == f"{Subject.CHINESE.label}、{Subject.MATHS.label}"

    def test_only_member_schools_are_visited(self, gw):
        with pytest.raises(InvalidInput):
            visit(gw, visited_school=gw.outside_school)
        assert not DiagnosisVisit.objects.exists()

    def test_unknown_subjects_and_future_dates_are_invalid(self, gw, today):
        with pytest.raises(InvalidInput):
            visit(gw, subjects="chinese,alchemy")
        with pytest.raises(InvalidInput):
            visit(gw, visited_on=today + dt.timedelta(days=1))
        with pytest.raises(InvalidInput):
            visit(gw, follow_up="复诊", follow_up_due_on=ON - dt.timedelta(days=1))

    def test_counted_on_the_dashboard(self, gw):
        visit(gw)
        visit(gw, follow_up="两周后复诊", follow_up_due_on=ON + dt.timedelta(days=14))
        board = selectors.group_dashboard(gw.group, gw.county_admin, year=ON.year)
        assert board["visits"] == 2
        assert board["open_follow_ups"] == 1


class TestResearchDays:
    def test_attendance_cannot_exceed_the_invited(self, gw):
        from django.core.exceptions import ValidationError

        data = {"group": gw.group, "held_on": ON, "topic": "集中研训", "invited_count": 30, "attended_count": 31}
        with pytest.raises(ValidationError):
            services.do_record_research_day(data=data, acting_user=gw.county_admin)
        row = services.do_record_research_day(data={**data, "attended_count": 29}, acting_user=gw.county_admin)
        board = selectors.group_dashboard(gw.group, gw.county_admin, year=ON.year)
        assert (board["research_days"], board["attended"], board["invited"]) == (1, 29, 30)
        assert row.area == gw.group.area


class TestBuildingProjects:
    def test_a_project_names_a_school_or_a_planned_school(self, gw):
        from django.core.exceptions import ValidationError

        data = {"name": "某校扩建", "area": gw.county, "kind": "extension", "planning_year": 2018}
        with pytest.raises(ValidationError):
            services.do_create_project(data=data, acting_user=gw.county_admin)
        project = services.do_create_project(
            data={**data, "school": gw.member, "area": None}, acting_user=gw.county_admin
        )
        assert project.area == gw.member.area

    def test_totals_are_computed_from_the_projects(self, gw):
        rows = [
            ("1200000.00", "10.5", "8000", 2017, "completed"),
            ("34000000.00", "40.25", "21000.5", 2018, "completed"),
            ("560000.00", None, "900", 2018, "under_construction"),
            (None, None, None, 2020, "planned"),
        ]
        for n, (money, mu, m2, year, status) in enumerate(rows):
            make_project(
                gw.county,
                name=f"项目{n}",
                investment_yuan=Decimal(money) if money else None,
                land_mu=Decimal(mu) if mu else None,
                floor_area_m2=Decimal(m2) if m2 else None,
                planning_year=year,
                status=status,
                completed_on=dt.date(year + 1, 8, 30) if status == "completed" else None,
            )
        totals = selectors.programme_totals(BuildingProject.objects.all())
        assert totals["projects"] == len(rows)
        assert totals["investment_yuan"] == sum(Decimal(r[0]) for r in rows if r[0])
        assert totals["land_mu"] == sum(Decimal(r[1]) for r in rows if r[1])
        assert totals["floor_area_m2"] == sum(Decimal(r[2]) for r in rows if r[2])
        assert totals["planned_schools"] == sum(1 for r in rows if r[4] == "planned")
        assert [r["planning_year"] for r in totals["by_year"]] == [2017, 2018, 2020]
        bounded = selectors.programme_totals(BuildingProject.objects.all(), first_year=2018, last_year=2018)
        assert bounded["projects"] == 2

    def test_totals_endpoint_and_page(self, gw, api, client):
        make_project(
            gw.county, investment_yuan=Decimal("1200000.00"), land_mu=Decimal("3"), floor_area_m2=Decimal("5000")
        )
        make_project(gw.area("古云镇"), name="古云镇项目", investment_yuan=Decimal("2000000.00"))
        mine = api(gw.township_staff).get("/api/v1/education/building-projects/totals/").json()
        assert mine["projects"] == 0  # both projects lie outside 燕店镇
        county = api(gw.county_admin).get("/api/v1/education/building-projects/totals/").json()
        assert county["projects"] == 2
        assert Decimal(county["investment_yuan"]) == Decimal("3200000.00")
        only = api(gw.county_admin).get("/api/v1/education/building-projects/totals/", {"area": "371522106000"}).json()
        assert only["projects"] == 1
        client.force_login(gw.county_admin)
        assert client.get("/education/groupwork/building-projects/totals/").status_code == 200


class TestScope:
    """Group records of a group formed in 燕店镇: the outsider in 古云镇 gets a 404 everywhere."""

    def test_outsider_404(self, gw, api, client):
        group = make_group(gw.area("燕店镇"), lead_school=make_school(gw.area("燕店镇")))
        row = make_visit(gw.area("燕店镇"), group=group)
        allocation = make_allocation(gw.area("燕店镇"), group=group)
        for url in (
            f"/api/v1/education/diagnosis-visits/{row.pk}/",
            f"/api/v1/education/fund-allocations/{allocation.pk}/",
        ):
            assert api(gw.outsider).get(url).status_code == 404
            assert api(gw.township_staff).get(url).status_code == 200
        client.force_login(gw.outsider)
        assert client.get(f"/education/groupwork/groups/{group.pk}/").status_code == 404
        assert client.get(f"/education/groupwork/visits/{row.pk}/").status_code == 404

    def test_writes_outside_the_group_area_are_refused(self, gw, api):
        response = api(gw.township_staff).post(
            "/api/v1/education/diagnosis-visits/",
            {
                "group": gw.group.pk,
                "team": "x",
                "visited_school": gw.member.pk,
                "visited_on": "2026-10-12",
                "findings": "x",
            },
            format="json",
        )
        assert response.status_code == 403  # the group is the county's: the bureau records its visits
        assert not DiagnosisVisit.objects.exists()


class TestFundApi:
    def test_refusals_are_409_with_the_policy(self, gw, api):
        from jiceng.core.policies.services import get_policy

        low = get_policy(services.FUND_MIN, area_path=gw.county.path, on=ON)
        client = api(gw.county_admin)
        refused = client.post(
            "/api/v1/education/fund-allocations/",
            {"group": gw.group.pk, "year": 2026, "amount_yuan": str(low.value - 1), "approved_on": "2026-03-02"},
            format="json",
        )
        assert refused.status_code == 409
        assert refused.json()["reasons"][0]["policy"] == services.FUND_MIN
        created = client.post(
            "/api/v1/education/fund-allocations/",
            {"group": gw.group.pk, "year": 2026, "amount_yuan": str(low.value), "approved_on": "2026-03-02"},
            format="json",
        )
        assert created.status_code == 201, created.content
        allocation = created.json()["id"]
        over = client.post(
            "/api/v1/education/fund-spendings/",
            {
                "allocation": allocation,
                "spent_on": "2026-04-01",
                "use": "teacher_training",
                "amount_yuan": str(low.value + 1),
                "description": "x",
            },
            format="json",
        )
        assert over.status_code == 409
        bad = client.post(
            "/api/v1/education/fund-spendings/",
            {
                "allocation": allocation,
                "spent_on": "2026-04-01",
                "use": "teacher_training",
                "amount_yuan": "1.001",
                "description": "x",
            },
            format="json",
        )
        assert bad.status_code == 400
        ok = client.post(
            "/api/v1/education/fund-spendings/",
            {
                "allocation": allocation,
                "spent_on": "2026-04-01",
                "use": "teacher_exchange",
                "amount_yuan": "2500.50",
                "description": "交流",
            },
            format="json",
        )
        assert ok.status_code == 201, ok.content
        body = client.get(f"/api/v1/education/fund-allocations/{allocation}/").json()
        assert Decimal(body["spent_yuan"]) == Decimal("2500.50")
        assert Decimal(body["balance_yuan"]) == low.value - Decimal("2500.50")
