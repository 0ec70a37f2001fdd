"""Figures are computed from the rows: participation (named once, unnamed counted, capped at the
employees), the coverage target on both sides, drill-down by Area, sectors, periods and campaigns,
spot-test pass rates, certificate results and the "五进" by target; scope holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from jiceng.directory.tests.factories import make_person
from jiceng.safety.testing import make_sector
from jiceng.safety.training import rules, selectors, services
from jiceng.safety.training.models import rate
from jiceng.safety.training.tests.factories import supervised

D = dt.date
MARCH_2, MARCH_3 = D(2026, 3, 2), D(2026, 3, 3)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def staff(safety_cast):
    return safety_cast.township_staff


def session(enterprise, staff, participants=0, attendees=(), held_on=MARCH_2, **data):
    return services.do_create_training(
        data={
            "enterprise": enterprise,
            "held_on": held_on,
            "topic": "全员安全培训",
            "participants": participants,
            "attendees": list(attendees),
            **data,
        },
        acting_user=staff,
    )


def exam(enterprise, staff, candidates, passed, held_on=MARCH_3):
    return services.do_create_exam(
        data={
            "enterprise": enterprise,
            "held_on": held_on,
            "title": "考试",
            "candidates": candidates,
            "passed": passed,
        },
        acting_user=staff,
    )


def row_for(figures, name):
    return next(r for r in figures["rows"] if r["area"].name == name)


class TestParticipation:
    def test_named_once_unnamed_counted_capped_at_the_employees(self, safety_cast, staff):
        east, west = safety_cast.area("东村"), safety_cast.area("西村")
        named = supervised(east, employees=10)
        p1, p2, p3 = (make_person(east) for _ in range(3))
        session(named, staff, participants=4)  # no names: 4 counted
        session(named, staff, attendees=[p1, p2])
        session(named, staff, attendees=[p2, p3])  # p2 again: counted once
        crowded = supervised(west, employees=5)
        session(crowded, staff, participants=4)
        session(crowded, staff, participants=4)  # 8 attendances, but only 5 employees
        supervised(west, employees=20)  # trained nobody
        figures = selectors.training_figures(staff, safety_cast.area("燕店镇"), selectors.Period())
        east_row, west_row = row_for(figures, "东村"), row_for(figures, "西村")
        assert (east_row["trained"], east_row["employees"], east_row["participation"]) == (7, 10, Decimal("70.0"))
        assert (west_row["trained"], west_row["employees"], west_row["organising"], west_row["enterprises"]) == (
            5,
            25,
            1,
            2,
        )
        assert west_row["attendances"] == 8 and west_row["sessions"] == 2
        totals = figures["totals"]
        assert (totals["trained"], totals["employees"]) == (12, 35)
        assert totals["participation"] == rate(12, 35)
        profile = named.safety_profile
        assert selectors.enterprise_participation(staff, profile, selectors.Period())["trained"] == 7

    def test_the_coverage_target_on_both_sides(self, safety_cast, staff):
        township = safety_cast.area("燕店镇")
        target = rules.coverage_target(township.path)
        assert target is not None  # the seed's 聊城 rule applies in the cast's 聊城市
        employees = 20
        short = round(employees * target.value / 100) - 1
        below = supervised(safety_cast.area("东村"), employees=employees)
        at = supervised(safety_cast.area("东村"), employees=employees)
        session(below, staff, participants=short)
        session(at, staff, participants=short + 1)
        figures = selectors.training_figures(staff, township, selectors.Period())
        assert row_for(figures, "东村")["at_target"] == 1
        assert selectors.enterprise_participation(staff, at.safety_profile, selectors.Period())["meets_target"]
        assert not selectors.enterprise_participation(staff, below.safety_profile, selectors.Period())["meets_target"]

    def test_exam_pass_rate_from_the_counts_and_the_period(self, safety_cast, staff):
        enterprise = supervised(safety_cast.area("东村"), employees=30)
        exam(enterprise, staff, 10, 9)
        exam(enterprise, staff, 5, 5)
        exam(enterprise, staff, 100, 0, held_on=D(2025, 12, 31))  # outside the period asked for
        period = selectors.Period(start=D(2026, 1, 1), end=D(2026, 6, 30))
        figures = selectors.training_figures(staff, safety_cast.area("燕店镇"), period)
        assert (figures["totals"]["candidates"], figures["totals"]["passed"]) == (15, 14)
        assert figures["totals"]["pass_rate"] == rate(14, 15)
        everything = selectors.training_figures(staff, safety_cast.area("燕店镇"), selectors.Period())
        assert everything["totals"]["candidates"] == 115

    def test_by_sector_and_by_campaign(self, safety_cast, staff):
        chemicals, textiles = make_sector("hazchem", "危险化学品"), make_sector("textiles", "纺织")
        a = supervised(safety_cast.area("东村"), employees=10, sector=chemicals)
        b = supervised(safety_cast.area("西村"), employees=10, sector=textiles)
        drive = services.do_create_campaign(
            data={"name": "三大", "kind": "training", "starts_on": D(2026, 1, 1), "ends_on": D(2026, 3, 31)},
            acting_user=staff,
        )
        session(a, staff, participants=6, campaign=drive)
        session(a, staff, participants=3)  # not in the campaign
        session(b, staff, participants=2, campaign=drive)
        figures = selectors.training_figures(staff, safety_cast.area("燕店镇"), selectors.Period(campaign=drive))
        by_sector = {r["sector"].code: r for r in figures["sectors"] if r["sector"]}
        assert (by_sector["hazchem"]["trained"], by_sector["textiles"]["trained"]) == (6, 2)
        assert figures["totals"]["trained"] == 8

    def test_the_drill_down_and_scope(self, safety_cast, staff):
        enterprise = supervised(safety_cast.area("东村"), employees=10)
        session(enterprise, staff, participants=4)
        village = selectors.training_figures(staff, safety_cast.area("东村"), selectors.Period())
        assert village["totals"]["trained"] == 4 and village["rows"][0].get("is_root")
        outsider = safety_cast.outsider
        theirs = selectors.training_figures(outsider, safety_cast.area("古云镇"), selectors.Period())
        assert theirs["totals"]["trained"] == 0
        # the outsider asking for the county sees only its own township's rows
        county = selectors.training_figures(outsider, safety_cast.area("莘县"), selectors.Period())
        assert county["totals"]["trained"] == 0


class TestSpotTestFigures:
    def test_pass_rate_is_passed_over_tested_across_tests(self, safety_cast, staff):
        east = supervised(safety_cast.area("东村"))
        west = supervised(safety_cast.area("西村"))
        for enterprise, tested, passed in ((east, 10, 9), (east, 5, 5), (west, 4, 2)):
            services.do_create_spot_test(
                data={
                    "enterprise": enterprise,
                    "tested_on": D(2026, 3, 2),
                    "officer": "执法人员",
                    "tested": tested,
                    "passed": passed,
                },
                acting_user=staff,
            )
        figures = selectors.spot_test_figures(staff, safety_cast.area("燕店镇"), selectors.Period())
        assert figures["totals"]["enterprises"] == 2 and figures["totals"]["tested"] == 19
        assert figures["totals"]["pass_rate"] == rate(16, 19)
        assert row_for(figures, "东村")["pass_rate"] == rate(14, 15)
        assert row_for(figures, "西村")["pass_rate"] == Decimal("50.0")
        assert figures["campaigns"][0]["tested"] == 19  # no campaign: one group


class TestCertificateAndPublicityFigures:
    def test_checks_by_result(self, safety_cast, staff):
        enterprise = supervised(safety_cast.area("东村"))
        base = {
            "enterprise": enterprise,
            "checked_on": D(2026, 3, 2),
            "inspector": "执法人员",
            "holder_name": "王五",
            "kind": "principal",
            "certificate_number": "37000001",
            "issuing_authority": "聊城市应急管理局",
        }
        for extra in (
            {"valid_until": D(2027, 1, 1)},
            {"valid_until": D(2026, 3, 1)},
            {"valid_until": D(2027, 1, 1), "found_in_register": False},
        ):
            services.do_create_certificate_check(data={**base, **extra}, acting_user=staff)
        figures = selectors.certificate_figures(staff, safety_cast.area("燕店镇"), selectors.Period())
        assert (figures["totals"]["checks"], figures["totals"]["valid"]) == (3, 1)
        assert (figures["totals"]["expired"], figures["totals"]["forged"]) == (1, 1)
        principal = next(k for k in figures["kinds"] if k["kind"] == "principal")
        assert principal["checks"] == 3

    def test_five_into_by_target_and_area(self, safety_cast, staff):
        for target, area, people in (
            ("village", "东村", 40),
            ("village", "东村", 10),
            ("family", "西村", 5),
            ("school", "燕店镇", 300),
        ):
            services.do_create_publicity(
                data={
                    "target": target,
                    "area": safety_cast.area(area),
                    "held_on": D(2026, 3, 2),
                    "title": "宣传",
                    "participants": people,
                },
                acting_user=staff,
            )
        figures = selectors.publicity_figures(staff, safety_cast.area("燕店镇"), selectors.Period())
        by_target = {r["target"]: r for r in figures["by_target"]}
        assert (by_target["village"]["activities"], by_target["village"]["participants"]) == (2, 50)
        assert by_target["school"]["activities"] == 1 and by_target["enterprise"]["activities"] == 0
        own = figures["rows"][0]
        assert own["is_root"] and own["activities"] == 1  # the school activity recorded at the township itself
        assert figures["totals"]["activities"] == 4 and figures["totals"]["participants"] == 355
