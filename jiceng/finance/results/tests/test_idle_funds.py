"""The idle-fund rules at their edges (thresholds read from the policies), the scan, and a warning
turned into a finding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jiceng.finance.results import rules, services
from jiceng.finance.results.models import IdleFundWarning
from jiceng.finance.results.tests.helpers import policy_value
from jiceng.finance.testing import add_disbursement, add_spending, make_project

pytestmark = pytest.mark.django_db


def month_end(project, key):
    return rules.month_end(project.year, policy_value(key, project, dt.date(2026, 8, 1)))


def checks(project, on):
    return {c.rule: c for c in services.idle_checks_for(project, on)}


def test_large_slow_flags_at_the_budget_and_progress_edges(fr):
    probe = make_project(fr.department, name="探针")
    check_on = month_end(probe, rules.LARGE_MONTH)
    minimum = policy_value(rules.LARGE_MIN_YUAN, probe, check_on)
    max_pct = policy_value(rules.LARGE_MAX_PCT, probe, check_on)
    at_edge = make_project(fr.department, budget=minimum, name="恰好达到")
    add_spending(at_edge, check_on.replace(day=1), minimum * max_pct / 100)  # exactly the progress edge
    assert checks(at_edge, check_on)["large_slow"].flagged
    assert not checks(at_edge, check_on - dt.timedelta(days=1))["large_slow"].applies  # before the check month ends

    faster = make_project(fr.department, budget=minimum, name="略快")
    add_spending(faster, check_on.replace(day=1), minimum * max_pct / 100 + Decimal("100"))
    assert not checks(faster, check_on)["large_slow"].flagged

    smaller = make_project(fr.department, budget=minimum - Decimal("0.01"), name="略小")
    assert not checks(smaller, check_on)["large_slow"].flagged

    text = checks(at_edge, check_on)["large_slow"].explanation
    for rule_key in (rules.LARGE_MIN_YUAN, rules.LARGE_MAX_PCT):
        assert rules.policy(rule_key, at_edge, check_on).cite() in text
    assert rules.fmt(max_pct) in text and at_edge.name in text


def test_balance_q3_flags_disbursed_but_unspent_money_at_the_edge(fr):
    probe = make_project(fr.department, name="探针")
    check_on = month_end(probe, rules.BALANCE_MONTH)
    minimum = policy_value(rules.BALANCE_MIN_YUAN, probe, check_on)
    max_pct = policy_value(rules.BALANCE_MAX_PCT, probe, check_on)
    budget = minimum * 4
    project = make_project(fr.department, budget=budget, name="拨而未用")
    add_spending(project, check_on.replace(day=1), budget * max_pct / 100)
    add_disbursement(project, check_on.replace(day=1), budget * max_pct / 100 + minimum)  # balance exactly the minimum
    found = checks(project, check_on)["balance_q3"]
    assert found.flagged and Decimal(found.numbers["balance"]) == minimum
    less = make_project(fr.department, budget=budget, name="余额略少")
    add_spending(less, check_on.replace(day=1), budget * max_pct / 100)
    add_disbursement(less, check_on.replace(day=1), budget * max_pct / 100 + minimum - Decimal("0.01"))
    assert not checks(less, check_on)["balance_q3"].flagged


def test_the_scan_writes_one_warning_per_project_and_rule_and_it_becomes_a_finding(fr):
    check_on = month_end(fr.project, rules.LARGE_MONTH)
    minimum = policy_value(rules.LARGE_MIN_YUAN, fr.project, check_on)
    slow = make_project(fr.department, budget=minimum * 2, name="进度缓慢")
    add_spending(slow, dt.date(2026, 3, 1), Decimal("1000"))
    found = services.do_scan_idle_funds(on=check_on, acting_user=fr.bureau)
    assert [(w.project, w.rule) for w in found] == [(slow, "large_slow")]
    assert services.do_scan_idle_funds(on=check_on, acting_user=fr.bureau) == []
    assert services.do_scan_idle_funds(on=check_on, acting_user=fr.outsider) == []  # outside their scope
    warning = IdleFundWarning.objects.get()
    assert Decimal(warning.numbers["budget"]) == minimum * 2 and warning.area == slow.area
    finding = services.do_issue_from_warning(warning, acting_user=fr.bureau, measures=["recover_balance"])
    assert (finding.kind, finding.warning, finding.text) == ("idle_funds", warning, warning.explanation)
    assert finding.numbers["rule"] == "large_slow"
    with pytest.raises(services.InvalidInput):
        services.do_issue_from_warning(warning, acting_user=fr.bureau)
