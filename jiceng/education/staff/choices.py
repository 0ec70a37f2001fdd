"""Choices of the teacher-rotation app: plan states, assignment roles and directions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class AssignmentRole(models.TextChoices):
    TEACHER = "teacher", _("teacher")
    MIDDLE_MANAGER = "middle_manager", _("middle manager")  # 中层干部


class Direction(models.TextChoices):
    """Which way an exchange crosses the urban–rural line (from ``School.location``)."""

    URBAN_TO_RURAL = "urban_to_rural", _("urban → rural")
    RURAL_TO_URBAN = "rural_to_urban", _("rural → urban")
    SAME_SIDE = "same_side", _("same side")  # within a group whose schools are on one side


CROSSING = (Direction.URBAN_TO_RURAL, Direction.RURAL_TO_URBAN)
