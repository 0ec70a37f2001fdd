"""Choices of the monitoring-results app: target categories and directions, findings, measures."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetCategory(models.TextChoices):
    """The indicator tree of a performance target (产出 / 效益 / 满意度, 中发〔2018〕34号 and rules.md §5)."""

    OUTPUT_QUANTITY = "output_quantity", _("output: quantity")  # 产出指标·数量
    OUTPUT_QUALITY = "output_quality", _("output: quality")  # 产出指标·质量
    OUTPUT_TIMELINESS = "output_timeliness", _("output: timeliness")  # 产出指标·时效
    OUTPUT_COST = "output_cost", _("output: cost")  # 产出指标·成本
    EFFECT_ECONOMIC = "effect_economic", _("effect: economic")  # 效益指标·经济效益
    EFFECT_SOCIAL = "effect_social", _("effect: social")  # 效益指标·社会效益
    EFFECT_SUSTAINABLE = "effect_sustainable", _("effect: sustainable impact")  # 效益指标·可持续影响
    SATISFACTION = "satisfaction", _("service-recipient satisfaction")  # 满意度指标


class TargetDirection(models.TextChoices):
    """How the forecast is compared with the target value."""

    HIGHER = "higher", _("higher is better")  # ≥ 目标值
    LOWER = "lower", _("lower is better")  # ≤ 目标值
    EQUAL = "equal", _("equal to the target")  # = 目标值


class FindingKind(models.TextChoices):
    """What a finding (监控发现的问题) is about."""

    EXECUTION_LAG = "execution_lag", _("execution lag")  # 执行进度滞后
    TARGET_DEVIATION = "target_deviation", _("target deviation")  # 绩效目标偏离
    IRREGULARITY = "irregularity", _("irregularity")  # 违规（无预算、超预算、挤占挪用、超标准配置）
    IDLE_FUNDS = "idle_funds", _("idle funds")  # 资金闲置沉淀
    OTHER = "other", _("other")


class FindingStatus(models.TextChoices):
    """The rectification case: issued to the department → responded → closed by the bureau
    (a rejected response sends it back to issued)."""

    ISSUED = "issued", _("issued")  # 已下达
    RESPONDED = "responded", _("responded")  # 部门已反馈
    CLOSED = "closed", _("closed")  # 已办结


OPEN_FINDING_STATUSES = (FindingStatus.ISSUED, FindingStatus.RESPONDED)


class Measure(models.TextChoices):
    """Corrective measures (纠偏止损, rules.md §5: 财预〔2019〕136号, 中发〔2018〕34号 and local practice)."""

    REDUCE_BUDGET = "reduce_budget", _("reduce the budget")  # 调减预算
    ADJUST_TARGETS = "adjust_targets", _("adjust the performance targets")  # 调整绩效目标
    SUSPEND_DISBURSEMENT = "suspend_disbursement", _("suspend disbursement")  # 暂缓拨款
    STOP_DISBURSEMENT = "stop_disbursement", _("stop disbursement")  # 停止拨款
    SUSPEND_PROJECT = "suspend_project", _("suspend the project")  # 暂停项目实施
    RECOVER_BALANCE = "recover_balance", _("recover the unspent balance")  # 收回结余结转（朔州）
    INTERVIEW = "interview", _("circular and interview")  # 通报、约谈（朔州）


class IdleFundRule(models.TextChoices):
    """The idle-fund warning rules (避免资金闲置沉淀), each with its local source (rules.md §5)."""

    LARGE_SLOW = "large_slow", _("large budget, slow spending by the end of August (Taiyuan)")  # 太原
    BALANCE_Q3 = "balance_q3", _("unspent disbursed balance at the end of Q3 (Shuozhou)")  # 朔州


class Recommendation(models.TextChoices):
    """What a note for next year's budget review recommends (结果作为以后年度预算安排的参考)."""

    REDUCE = "reduce", _("reduce the budget")  # 压减
    KEEP = "keep", _("keep the budget")  # 维持
    INCREASE = "increase", _("increase the budget")  # 增加
    CANCEL = "cancel", _("cancel the project")  # 取消
    REVIEW = "review", _("review the targets first")  # 先审核绩效目标


class TargetState(models.TextChoices):
    """A target's state on a date (computed, never stored)."""

    ON_TRACK = "on_track", _("on track")
    DEVIATING = "deviating", _("deviating")
    NOT_REPORTED = "not_reported", _("no progress report")
