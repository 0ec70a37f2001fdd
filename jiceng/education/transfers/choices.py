"""Choices of the transfers app: the states of a transfer application (插班/转学)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TransferState(models.TextChoices):
    APPLIED = "applied", _("awaiting the bureau")  # 转入学校已申请, 待教育主管部门审批
    APPROVED = "approved", _("approved")  # 已批准, 学籍已转入
    REJECTED = "rejected", _("rejected")  # 未批准
    WITHDRAWN = "withdrawn", _("withdrawn")  # 转入学校撤回


PENDING_STATES = (TransferState.APPLIED,)
DECIDED_STATES = (TransferState.APPROVED, TransferState.REJECTED)

__all__ = ["DECIDED_STATES", "PENDING_STATES", "TransferState"]
