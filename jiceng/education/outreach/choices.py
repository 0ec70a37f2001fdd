"""Choices of consultation and outreach: ticket channels and categories, callback outcomes, study-group
venues, class-meeting formats, aid kinds, results and home–school–community activity kinds."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    CALL = "call", _("phone call")  # 来电
    VISIT = "visit", _("visit")  # 来访


class QuestionCategory(models.TextChoices):
    """What enrolment callers ask about (招生咨询)."""

    CATCHMENT = "catchment", _("catchment zone")  # 划片范围
    ADMISSION = "admission", _("admission conditions")  # 入学条件、年龄
    DOCUMENTS = "documents", _("documents and registration")  # 材料、报名
    MIGRANT = "migrant", _("children of migrant workers")  # 随迁子女
    TRANSFER = "transfer", _("transfer")  # 转学、插班
    RESULT = "result", _("placement result")  # 录取、分配结果
    OTHER = "other", _("other")


class CallbackOutcome(models.TextChoices):
    RESOLVED = "resolved", _("question resolved")  # 问题已解决
    EXPLAINED = "explained", _("explained, follow-up needed")  # 已解释，需跟进
    UNREACHABLE = "unreachable", _("caller unreachable")  # 无法联系


class VenueKind(models.TextChoices):
    STUDENT_HOME = "student_home", _("a student's home")  # 家庭宽敞的学生家中
    COMMUNITY_OFFICE = "community_office", _("community office")  # 社区办公室
    OTHER = "other", _("other")


class MeetingFormat(models.TextChoices):
    """The four formats of 「"党建+主题班会立德树"」 (seed 001, 九山初中)."""

    SITUATION = "situation", _("situational experience")  # 情境体验
    DIALOGUE = "dialogue", _("dialogue and insight")  # 对话感悟
    ESSAY = "essay", _("essay writing")  # 随笔表达
    SHOWCASE = "showcase", _("showcase and evaluation")  # 展示评价


class MediaLevel(models.TextChoices):
    PROVINCIAL = "provincial", _("provincial media")
    CITY = "city", _("city media")
    COUNTY = "county", _("county media")
    OTHER = "other", _("other media")


class AidKind(models.TextChoices):
    GRANT = "grant", _("state grant")  # 国家助学金
    LIVING = "living", _("living allowance")  # 生活补助
    FEE_WAIVER = "fee_waiver", _("fee waiver")  # 学杂费减免
    MEALS = "meals", _("nutrition meals")  # 营养餐
    DONATION = "donation", _("social donation")  # 社会资助
    OTHER = "other", _("other")


class ResultKind(models.TextChoices):
    EXAM = "exam", _("exam score")  # 考试成绩
    ADMISSION = "admission", _("admission")  # 升学录取


class ActivityKind(models.TextChoices):
    """Home–school–community activities (家校社协同育人, seed 001)."""

    PARENT_SCHOOL = "parent_school", _("parent school")  # 家长学校
    HOME_VISIT = "home_visit", _("home visit")  # 家访
    COMMUNITY_SERVICE = "community_service", _("community service")  # 社区服务
    SOCIAL_SURVEY = "social_survey", _("social survey")  # 社会调查
    RESEARCH = "research", _("research learning")  # 研究性学习
    PRACTICE = "practice", _("comprehensive practice")  # 综合实践
    OTHER = "other", _("other")
