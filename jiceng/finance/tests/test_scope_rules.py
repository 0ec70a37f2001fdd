"""The monitored set (B01): personnel and basic expenditure out, each budget type / funding source /
transfer level in or out as its policy says, with the reason; and the ``monitored`` filter."""

import datetime as dt

import pytest

from jiceng.core.policies.models import Policy
from jiceng.core.policies.services import clear_policy_cache, get_policy
from jiceng.finance import rules
from jiceng.finance.choices import BudgetType, ExpenditureKind, FundingSource, TransferLevel
from jiceng.finance.filtersets import BudgetProjectFilterSet
from jiceng.finance.models import BudgetProject
from jiceng.finance.testing import make_project, make_unit

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 7, 31)


def county_unit(cast):
    return make_unit(cast.area("莘县"), name="县发展和改革局")


def policy_codes(cast, key):
    return rules.codes(get_policy(key, area_path=cast.area("莘县").path, on=ON))


@pytest.mark.parametrize("kind", [ExpenditureKind.PERSONNEL, ExpenditureKind.BASIC])
def test_personnel_and_basic_are_excluded_with_reason(finance_cast, kind):
    project = make_project(county_unit(finance_cast), expenditure_kind=kind)
    monitored, reasons = rules.scope_decision(project, ON)
    assert monitored is False
    assert kind not in policy_codes(finance_cast, rules.SCOPE_EXPENDITURE_KINDS)
    assert str(ExpenditureKind(kind).label) in reasons[0].message
    assert "商河县财政局" in reasons[0].message  # the source of the county's rule


@pytest.mark.parametrize("budget_type", BudgetType.values)
def test_each_budget_type_follows_the_policy(finance_cast, budget_type):
    project = make_project(county_unit(finance_cast), budget_type=budget_type)
    monitored, reasons = rules.scope_decision(project, ON)
    assert monitored is (budget_type in policy_codes(finance_cast, rules.SCOPE_BUDGET_TYPES))
    assert reasons


@pytest.mark.parametrize("source", FundingSource.values)
def test_each_funding_source_follows_the_policy(finance_cast, source):
    project = make_project(county_unit(finance_cast), funding_source=source)
    monitored, _ = rules.scope_decision(project, ON)
    assert monitored is (source in policy_codes(finance_cast, rules.SCOPE_FUNDING_SOURCES))


@pytest.mark.parametrize("level", [v for v in TransferLevel.values if v])
def test_each_transfer_level_follows_the_policy(finance_cast, level):
    project = make_project(county_unit(finance_cast), funding_source="transfer", transfer_level=level)
    monitored, _ = rules.scope_decision(project, ON)
    assert monitored is (level in policy_codes(finance_cast, rules.SCOPE_TRANSFER_LEVELS))


def test_a_narrower_policy_excludes_with_its_source(finance_cast):
    row = Policy.objects.get(key=rules.SCOPE_BUDGET_TYPES, area_code="371522000000")
    row.value = "general_public"
    row.save()
    clear_policy_cache()
    project = make_project(county_unit(finance_cast), budget_type=BudgetType.SOCIAL_SECURITY)
    monitored, reasons = rules.scope_decision(project, ON)
    assert monitored is False
    assert str(BudgetType.SOCIAL_SECURITY.label) in reasons[0].message


def test_national_rule_leaves_out_social_security_outside_the_county(finance_cast):
    """Outside 莘县 the national row (财预〔2019〕136号, unverified) applies."""
    from jiceng.directory.services import do_create_area

    other = do_create_area(
        data={"code": "371521000000", "name": "阳谷县", "parent": finance_cast.area("聊城市")}, acting_user=None
    )
    national = rules.codes(get_policy(rules.SCOPE_BUDGET_TYPES, area_path=other.path, on=ON))
    project = make_project(make_unit(other), budget_type=BudgetType.SOCIAL_SECURITY)
    assert rules.scope_decision(project, ON)[0] is (BudgetType.SOCIAL_SECURITY in national)


def test_monitored_filter_matches_the_rules(finance_cast):
    unit = county_unit(finance_cast)
    inside = make_project(unit)
    outside = make_project(unit, expenditure_kind=ExpenditureKind.PERSONNEL)
    qs = BudgetProject.objects.all()
    assert list(BudgetProjectFilterSet({"monitored": "true"}, queryset=qs).qs) == [inside]
    assert list(BudgetProjectFilterSet({"monitored": "false"}, queryset=qs).qs) == [outside]
