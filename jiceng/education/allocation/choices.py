"""Choices of catchment allocation: zone kinds, run modes and states, how a placement was made."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryGrade(models.IntegerChoices):
    """The entry grades of compulsory education (起始年级)."""

    PRIMARY = 1, _("grade 1 (primary)")
    JUNIOR = 7, _("grade 7 (junior middle)")


ENTRY_GRADES = tuple(EntryGrade.values)


class ZoneKind(models.TextChoices):
    """单校划片 (one school per zone) or 多校划片 (several schools; residents drawn by lottery, 随机派位)."""

    SINGLE = "single", _("single-school zone")
    MULTI = "multi", _("multi-school zone")


class RunMode(models.TextChoices):
    """How surplus applicants (those no preferred school could admit) are handled."""

    STANDARD = "standard", _("preferences only")  # 就近入学 by preference and tier; surplus left unplaced
    WHOLE_GRADE = "whole_grade", _("whole-grade diversion")  # 年级整体分流: a school's surplus to named receivers
    OPEN = "open", _("open redistribution")  # 开放式分流: surplus to the nearest school with spare seats


class RunState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PlacementVia(models.TextChoices):
    PREFERENCE = "preference", _("by preference")
    DIVERSION = "diversion", _("whole-grade diversion")
    OPEN = "open", _("open redistribution")
    UNPLACED = "unplaced", _("not placed")


class Category(models.TextChoices):
    """Priority categories below catchment residence (their order is the policy
    ``education.allocation.tier_order``)."""

    POLICY_CARE = "policy_care", _("policy-care category")  # 优抚对象等政策照顾
    SIBLING = "sibling", _("sibling at the school")
    TEACHER_CHILD = "teacher_child", _("child of a teacher at the school")
