"""Choices of the group-work app: resource kinds, fund uses, research-day kinds, building projects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    """What a shared course resource is (优质课程资源共享平台, E05)."""

    COURSE = "course", _("course")  # 课程
    LESSON_PLAN = "lesson_plan", _("lesson plan")  # 教案 / 教学设计
    FEATURE_COURSE = "feature_course", _("feature course")  # 特色课程
    COURSEWARE = "courseware", _("courseware")  # 课件
    ACTIVITY = "activity", _("activity resource")  # 活动资源
    OTHER = "other", _("other")


class FundUse(models.TextChoices):
    """What a group-fund payment is for. Which of these are eligible is a policy
    (``education.group_fund_eligible_uses``), not this list."""

    TEACHER_TRAINING = "teacher_training", _("teacher training")  # 教师培训
    TEACHING_RESEARCH = "teaching_research", _("teaching research")  # 教育教学研究
    TEACHER_EXCHANGE = "teacher_exchange", _("teacher exchange")  # 师资交流
    EQUIPMENT = "equipment", _("equipment")  # 设备购置
    BUILDING = "building", _("building and renovation")  # 校舍建设、改造
    OTHER = "other", _("other")


class ResearchDayKind(models.TextChoices):
    """集中研训研修: a training day, a research (教研) day, or both."""

    TRAINING = "training", _("training")  # 集中培训
    RESEARCH = "research", _("teaching research")  # 集中教研
    BOTH = "both", _("training and research")  # 研训一体


class ProjectKind(models.TextChoices):
    NEW_BUILD = "new_build", _("new build")  # 新建
    EXTENSION = "extension", _("extension")  # 扩建 / 改扩建
    RENOVATION = "renovation", _("renovation")  # 改造


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")  # 规划
    UNDER_CONSTRUCTION = "under_construction", _("under construction")  # 在建
    COMPLETED = "completed", _("completed")  # 竣工 / 投入使用
