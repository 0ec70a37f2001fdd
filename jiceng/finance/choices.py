"""Choices of the finance module (budget performance monitoring, 预算绩效运行监控)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetType(models.TextChoices):
    """The four budgets (四本预算)."""

    GENERAL_PUBLIC = "general_public", _("general public budget")
    GOVERNMENT_FUND = "government_fund", _("government fund budget")
    STATE_CAPITAL = "state_capital", _("state-capital operation budget")
    SOCIAL_SECURITY = "social_security", _("social-security fund budget")


class FundingSource(models.TextChoices):
    COUNTY = "county", _("county funds")
    TRANSFER = "transfer", _("special transfer payment")
    BOND = "bond", _("government bond")
    DIRECT = "direct", _("direct-allocation fund")


class TransferLevel(models.TextChoices):
    NONE = "", _("—")
    CENTRAL = "central", _("central")
    PROVINCIAL = "provincial", _("provincial")
    CITY = "city", _("city")


class ExpenditureKind(models.TextChoices):
    """项目支出 / 人员支出 / 基本（公用）支出."""

    PROJECT = "project", _("project expenditure")
    PERSONNEL = "personnel", _("personnel expenditure")
    BASIC = "basic", _("basic expenditure")


class AdjustmentKind(models.TextChoices):
    """A budget change: an addition (追加, amount > 0), a reduction (调减, amount < 0) or an adjustment
    (调整, either sign, not zero)."""

    ADDITION = "addition", _("addition")
    ADJUSTMENT = "adjustment", _("adjustment")
    REDUCTION = "reduction", _("reduction")


class EconomicClass(models.TextChoices):
    """The government budget expenditure economic classification (政府预算支出经济分类, class level):
    the declared purpose of a spending line and the purposes a project allows."""

    WAGES = "501", _("501 wages and welfare of organs")
    GOODS_SERVICES = "502", _("502 goods and services of organs")
    CAPITAL_1 = "503", _("503 capital expenditure of organs (I)")
    CAPITAL_2 = "504", _("504 capital expenditure of organs (II)")
    INSTITUTION_CURRENT = "505", _("505 current subsidies to public institutions")
    INSTITUTION_CAPITAL = "506", _("506 capital subsidies to public institutions")
    ENTERPRISE_SUBSIDY = "507", _("507 subsidies to enterprises")
    ENTERPRISE_CAPITAL = "508", _("508 capital expenditure on enterprises")
    HOUSEHOLDS = "509", _("509 subsidies to individuals and households")
    SOCIAL_SECURITY = "510", _("510 subsidies to social-security funds")
    DEBT_INTEREST = "511", _("511 debt interest and fees")
    DEBT_PRINCIPAL = "512", _("512 debt principal repayment")
    TRANSFERS = "513", _("513 transfer expenditure")
    RESERVE = "514", _("514 reserve funds")
    OTHER = "599", _("599 other expenditure")


class KeyCriterion(models.TextChoices):
    """Why a department marks a project as key (重点项目): the criteria of seed 001."""

    KEY_POLICY = "key_policy", _("key policy")
    MAJOR_PROJECT = "major_project", _("major project")
    FINDINGS = "findings", _("audit or inspection findings")
    LOW_PERFORMANCE = "low_performance", _("low performance")
    WEAK_MANAGEMENT = "weak_management", _("weak management")


class FlagKind(models.TextChoices):
    """Irregularity flags computed on the data (B02)."""

    NO_BUDGET_LINE = "no_budget_line", _("spending without a budget line")
    OVER_BUDGET = "over_budget", _("over budget")
    DIVERSION = "diversion", _("diversion between purposes")
    ASSET_ABOVE_STANDARD = "asset_above_standard", _("asset above the allocation standard")


class TimeProgressMethod(models.TextChoices):
    MONTHS = "months", _("months elapsed ÷ 12")
    DAYS = "days", _("days elapsed ÷ days in the year")
