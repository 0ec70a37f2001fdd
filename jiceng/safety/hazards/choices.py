"""Choices of the inspections and hazards app: campaign kinds, inspection kinds, severities, states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    """The bureau's special campaigns (专项行动) of the seed (catalogue S02–S04, S14)."""

    HUNDRED_DAY_ZEROING = "hundred_day_zeroing", _("hundred-day zeroing campaign")  # 百日清零行动
    MAJOR_HAZARD_SOURCE = "major_hazard_source", _("major-hazard-source supervision")  # 重大危险源专项督导检查
    YEAR_END_ENFORCEMENT = "year_end_enforcement", _("year-end enforcement campaign")  # 岁末年初执法检查
    CERTIFICATE_ANTIFRAUD = "certificate_antifraud", _("certificate anti-fraud campaign")  # 资格证“打假”
    OTHER = "other", _("other campaign")


class InspectionKind(models.TextChoices):
    """Each inspection counts as one enterprise-inspection (家次)."""

    ENFORCEMENT = "enforcement", _("enforcement inspection")  # 执法检查
    SUPERVISION = "supervision", _("supervision inspection")  # 督导检查
    SELF_CHECK = "self_check", _("enterprise self-check")  # 企业自查


class RecordingKind(models.TextChoices):
    """What a visual-enforcement recording is (可视化执法, S12)."""

    AUDIO = "audio", _("audio")
    VIDEO = "video", _("video")
    PHOTO = "photo", _("photo")


class HazardSeverity(models.TextChoices):
    """《安全生产事故隐患排查治理暂行规定》第三条: 一般事故隐患 / 重大事故隐患."""

    ORDINARY = "ordinary", _("ordinary hazard")
    MAJOR = "major", _("major hazard")


class HazardStatus(models.TextChoices):
    """The ledger (发现—录入—限期整改—复核—销号): reported, rectifying, submitted, closed."""

    REPORTED = "reported", _("reported")  # 已录入
    RECTIFYING = "rectifying", _("rectifying")  # 限期整改中
    SUBMITTED = "submitted", _("awaiting verification")  # 整改完成，待复核
    CLOSED = "closed", _("closed (cleared)")  # 复核通过，销号


OPEN_STATUSES = (HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED)

# The five elements of a major hazard's plan (五落实), in the order of the policy's default value.
FIVE_ELEMENTS = {
    "responsibility": _("responsibility (the person responsible for the rectification)"),
    "measures": _("measures"),
    "funds": _("funds"),
    "deadline": _("deadline"),
    "contingency_plan": _("contingency plan"),
}
