"""Organisational life (组织生活): meetings of a party organisation and who attended them.

三会一课 (general meeting, committee meeting, group meeting, party lecture), the monthly theme
day, the yearly life meeting, member review and annual debrief, and any other study activity.
How often each kind is required is a policy (``party.life.<kind>_months``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel
from jiceng.party.models import OrgAreaMixin


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("branch general meeting")  # 支部党员大会
    COMMITTEE_MEETING = "committee_meeting", _("committee meeting")  # 支部委员会会议
    GROUP_MEETING = "group_meeting", _("party group meeting")  # 党小组会
    PARTY_LECTURE = "party_lecture", _("party lecture")  # 党课
    THEME_DAY = "theme_day", _("theme party day")  # 主题党日
    LIFE_MEETING = "life_meeting", _("organisational life meeting")  # 组织生活会
    MEMBER_REVIEW = "member_review", _("democratic review of members")  # 民主评议党员
    ANNUAL_DEBRIEF = "annual_debrief", _("annual debrief and review")  # 述职评议
    STUDY_SESSION = "study_session", _("topical study session")  # 专题学习
    OTHER_ACTIVITY = "other_activity", _("other activity")


class Meeting(OrgAreaMixin, ScopedModel):
    """One meeting or activity held by a party organisation."""

    org = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="meetings"
    )
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices, db_index=True)
    held_on = models.DateField(_("held on"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1, default=1)
    location = models.CharField(_("location"), max_length=200, blank=True)
    speaker = models.CharField(_("speaker"), max_length=100, blank=True, help_text=_("Lecturer or the member sharing"))
    minutes = models.TextField(_("minutes"), blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True, help_text=_("Stored-file references"))
    template_items_done = models.JSONField(
        _("template items done"), default=list, blank=True, help_text=_("Codes of the theme-day template items done")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "org"]
        indexes = [models.Index(fields=["org", "kind", "held_on"], name="party_meeting_org_kind_idx")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}：{self.topic}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")  # 请假
    ABSENT = "absent", _("absent")


class Attendance(ScopedModel):
    """A member's attendance at a meeting; an excused absence is made up later (请假补课)."""

    scope_area_field = "meeting__area"

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "party_members.PartyMember", verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    made_up_on = models.DateField(_("made up on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="party_attendance_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status == AttendanceStatus.PRESENT or (
            self.status == AttendanceStatus.EXCUSED and self.made_up_on is not None
        )
