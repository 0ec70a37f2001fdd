"""Choices of the permits app: work types, levels, states (GB 30871-2022)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkType(models.TextChoices):
    """The eight special-work types of GB 30871-2022."""

    HOT_WORK = "hot_work", _("hot work")  # 动火作业
    CONFINED_SPACE = "confined_space", _("confined space entry")  # 受限空间作业
    BLIND_PLATE = "blind_plate", _("blind plate insertion or removal")  # 盲板抽堵作业
    HEIGHT = "height", _("work at height")  # 高处作业
    LIFTING = "lifting", _("lifting")  # 吊装作业
    TEMPORARY_POWER = "temporary_power", _("temporary power")  # 临时用电作业
    EXCAVATION = "excavation", _("excavation")  # 动土作业
    ROAD_CLOSURE = "road_closure", _("road closure")  # 断路作业


class HotWorkLevel(models.TextChoices):
    SPECIAL = "special", _("special hot work")  # 特级动火
    LEVEL1 = "1", _("level 1 hot work")  # 一级动火
    LEVEL2 = "2", _("level 2 hot work")  # 二级动火


class BlindPlateMode(models.TextChoices):
    REMOVE = "remove", _("plate removal")  # 抽
    INSERT = "insert", _("plate insertion")  # 堵


class PermitLevel(models.TextChoices):
    """The computed level of a permit (empty for the types the standard does not grade)."""

    NONE = "", _("not graded (work type)")
    SPECIAL = "special", _("special level")  # 特级
    LEVEL1 = "1", _("level 1")  # 一级
    LEVEL2 = "2", _("level 2")  # 二级
    LEVEL3 = "3", _("level 3")  # 三级
    HEIGHT_I = "I", _("class I")  # Ⅰ级
    HEIGHT_II = "II", _("class II")  # Ⅱ级
    HEIGHT_III = "III", _("class III")  # Ⅲ级
    HEIGHT_IV = "IV", _("class IV")  # Ⅳ级


class PermitState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    APPROVED = "approved", _("approved")
    ACTIVE = "active", _("work under way")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATES = (PermitState.APPROVED, PermitState.ACTIVE)  # the work may go on: checked for expiry
COVERING_STATES = (PermitState.APPROVED, PermitState.ACTIVE, PermitState.CLOSED)  # the work was permitted

__all__ = ["COVERING_STATES", "OPEN_STATES", "BlindPlateMode", "HotWorkLevel", "PermitLevel", "PermitState", "WorkType"]
