"""The group special fund (E06): the yearly range, eligible uses, no overspending, money as Decimal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education.groupwork import selectors, services
from jiceng.education.groupwork.models import FundAllocation, FundSpending

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def policy(cast, key):
    return get_policy(key, area_path=cast.group.area.path, on=ON)


def allocate(cast, amount, **kw):
    data = {"group": cast.group, "year": 2026, "amount_yuan": amount, "approved_on": ON, **kw}
    return services.do_allocate_fund(data=data, acting_user=cast.county_admin)


class TestAllocationRange:
    def test_the_range_comes_from_the_seeded_policies(self, gw):
        low, high = policy(gw, services.FUND_MIN), policy(gw, services.FUND_MAX)
        assert low.source_status == "seed" and high.source_status == "seed"
        assert low.value < high.value
        assert allocate(gw, low.value).amount_yuan == low.value
        FundAllocation.objects.all().delete()
        assert allocate(gw, high.value).amount_yuan == high.value

    def test_below_the_minimum_is_refused_with_the_policy_and_source(self, gw):
        low = policy(gw, services.FUND_MIN)
        amount = low.value - Decimal("0.01")
        with pytest.raises(GuardFailed) as exc:
            allocate(gw, amount)
        (reason,) = exc.value.reasons
        assert reason.policy_key == services.FUND_MIN
        assert reason.source == low.cite() and low.cite() in reason.message
        assert services.fmt_yuan(amount) in reason.message
        assert not FundAllocation.objects.exists()

    def test_above_the_maximum_is_refused(self, gw):
        high = policy(gw, services.FUND_MAX)
        with pytest.raises(GuardFailed) as exc:
            allocate(gw, high.value + 1)
        assert [r.policy_key for r in exc.value.reasons] == [services.FUND_MAX]
        assert str(high.value) in exc.value.reasons[0].message
        assert not FundAllocation.objects.exists()

    def test_one_allocation_per_group_and_year(self, gw):
        low = policy(gw, services.FUND_MIN)
        allocate(gw, low.value)
        with pytest.raises(ValidationError):
            allocate(gw, low.value)
        assert FundAllocation.objects.count() == 1

    @pytest.mark.parametrize("amount", ["600000.005", "-5", "0", "abc"])
    def test_amounts_are_positive_yuan_with_two_decimals(self, gw, amount):
        with pytest.raises(InvalidInput):
            allocate(gw, amount)
        assert not FundAllocation.objects.exists()

    def test_cutting_below_what_is_spent_is_refused(self, gw):
        low = policy(gw, services.FUND_MIN)
        allocation = allocate(gw, low.value + 1000)
        spend(gw, allocation, low.value)
        with pytest.raises(GuardFailed):
            services.do_update_allocation(allocation, data={"amount_yuan": low.value - 1}, acting_user=gw.county_admin)
        allocation.refresh_from_db()
        assert allocation.amount_yuan == low.value + 1000


def spend(cast, allocation, amount, use="teacher_training", **kw):
    data = {"allocation": allocation, "spent_on": ON, "use": use, "amount_yuan": amount, "description": "培训", **kw}
    return services.do_record_spending(data=data, acting_user=cast.county_admin)


class TestSpending:
    def test_eligible_uses_are_the_policy_list(self, gw):
        rule = policy(gw, services.ELIGIBLE_USES)
        uses = [u.strip() for u in rule.value.split(",")]
        allocation = allocate(gw, policy(gw, services.FUND_MIN).value)
        for use in uses:
            spend(gw, allocation, "100.00", use=use)
        assert FundSpending.objects.count() == len(uses)

    def test_an_ineligible_use_is_refused_citing_the_policy(self, gw):
        rule = policy(gw, services.ELIGIBLE_USES)
        assert "equipment" not in rule.value
        allocation = allocate(gw, policy(gw, services.FUND_MIN).value)
        with pytest.raises(GuardFailed) as exc:
            spend(gw, allocation, "100.00", use="equipment")
        (reason,) = exc.value.reasons
        assert reason.policy_key == services.ELIGIBLE_USES
        assert rule.cite() in reason.message
        assert not FundSpending.objects.exists()

    def test_overspending_is_refused_with_the_numbers(self, gw):
        low = policy(gw, services.FUND_MIN).value
        allocation = allocate(gw, low)
        spend(gw, allocation, low - 100)
        with pytest.raises(GuardFailed) as exc:
            spend(gw, allocation, "100.01")
        message = exc.value.reasons[0].message
        for number in (low, low - 100, Decimal("100.00")):
            assert services.fmt_yuan(number) in message
        assert FundSpending.objects.count() == 1
        spend(gw, allocation, "100.00")  # exactly the balance is fine
        assert selectors.allocation_balance(allocation)["balance"] == Decimal("0.00")

    def test_editing_a_payment_counts_the_others_only(self, gw):
        low = policy(gw, services.FUND_MIN).value
        allocation = allocate(gw, low)
        first = spend(gw, allocation, low - 10)
        services.do_update_spending(first, data={"amount_yuan": low}, acting_user=gw.county_admin)
        first.refresh_from_db()
        assert first.amount_yuan == low

    def test_spending_outside_the_allocation_year_is_invalid(self, gw):
        allocation = allocate(gw, policy(gw, services.FUND_MIN).value)
        with pytest.raises(InvalidInput):
            spend(gw, allocation, "10.00", spent_on=dt.date(2025, 12, 31))

    def test_the_benefiting_school_must_be_a_member(self, gw):
        allocation = allocate(gw, policy(gw, services.FUND_MIN).value)
        with pytest.raises(InvalidInput):
            spend(gw, allocation, "10.00", school=gw.outside_school)
        spend(gw, allocation, "10.00", school=gw.member)

    def test_balance_by_year(self, gw):
        low = policy(gw, services.FUND_MIN).value
        allocation = allocate(gw, low)
        spend(gw, allocation, "1000.50")
        spend(gw, allocation, "999.50", use="teacher_exchange")
        (row,) = selectors.fund_by_year(gw.group)
        assert row["spent"] == Decimal("2000.00")
        assert row["balance"] == low - Decimal("2000.00")
