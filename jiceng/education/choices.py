"""Choices shared by the education apps: school stages, locations, group kinds, subjects, employment."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolStage(models.TextChoices):
    """学段. A nine-year school (九年一贯制) has grades 1–9, a complete secondary school 7–12."""

    PRIMARY = "primary", _("primary school")  # 小学 (grades 1–6)
    JUNIOR = "junior", _("junior middle school")  # 初级中学 (7–9)
    NINE_YEAR = "nine_year", _("nine-year school")  # 九年一贯制 (1–9)
    SENIOR = "senior", _("senior middle school")  # 高级中学 (10–12)
    COMPLETE = "complete", _("complete secondary school")  # 完全中学 (7–12)


# First and last grade of each stage (grades are numbered 1–12 across the stages).
STAGE_GRADES: dict[str, tuple[int, int]] = {
    SchoolStage.PRIMARY: (1, 6),
    SchoolStage.JUNIOR: (7, 9),
    SchoolStage.NINE_YEAR: (1, 9),
    SchoolStage.SENIOR: (10, 12),
    SchoolStage.COMPLETE: (7, 12),
}


class Location(models.TextChoices):
    """城区 / 乡镇: the two sides of the urban–rural teacher exchange (E02)."""

    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")


class GroupKind(models.TextChoices):
    """集团化办学 forms of the seed (E01)."""

    TIGHT = "tight", _("tight group")  # 紧密型
    COMPACT = "compact", _("relatively compact group")  # 相对紧密型
    ONE_PLUS_X = "one_plus_x", _("“1+X” group")  # 名校+新校/弱校/潜力校, 总校长负责制


class MemberRole(models.TextChoices):
    LEAD = "lead", _("lead school")  # 龙头校 / 核心校
    MEMBER = "member", _("member school")  # 成员校


class Subject(models.TextChoices):
    CHINESE = "chinese", _("Chinese")
    MATHS = "maths", _("mathematics")
    ENGLISH = "english", _("English")
    MORALITY = "morality", _("morality and law")  # 道德与法治
    SCIENCE = "science", _("science")
    PHYSICS = "physics", _("physics")
    CHEMISTRY = "chemistry", _("chemistry")
    BIOLOGY = "biology", _("biology")
    HISTORY = "history", _("history")
    GEOGRAPHY = "geography", _("geography")
    PE = "pe", _("physical education")
    MUSIC = "music", _("music")
    ART = "art", _("art")
    IT = "it", _("information technology")
    OTHER = "other", _("other")


class Employment(models.TextChoices):
    ESTABLISHED = "established", _("established post")  # 在编
    CONTRACT = "contract", _("contract")  # 聘任制


class EnrollmentReason(models.TextChoices):
    ADMISSION = "admission", _("admission")  # 新生入学
    PROMOTION = "promotion", _("promotion to the next grade")  # 升级
    TRANSFER = "transfer", _("transfer")  # 转学 / 插班
    REDISTRIBUTION = "redistribution", _("redistribution")  # 分流
    CORRECTION = "correction", _("registry correction")


class EnrollmentEnd(models.TextChoices):
    PROMOTED = "promoted", _("promoted")
    TRANSFERRED = "transferred", _("transferred out")
    GRADUATED = "graduated", _("graduated")
    LEFT = "left", _("left school")
