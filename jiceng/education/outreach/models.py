"""Consultation and outreach (catalogue E10, E14–E17): enrolment consultation with the mandatory
callback, off-campus cooperative study groups, theme class meetings and reflections, aid for
registered poor students and home–school–community activities.

- ``PolicyNotice``: the enrolment policy a county publishes each year (招生政策公开), optionally on a
  public QR page.
- ``Consultation``: one call or visit of the enrolment season (招生咨询) with its question, answer and
  the mandatory callback (回访). The callback deadline is a workday deadline (``DeadlineMixin``,
  scanned by the deadlines engine); an overdue callback raises an alert.
- ``StudyGroup`` (with ``StudyLog`` and ``PatrolVisit``): a school's off-campus cooperative study group
  in one natural village, its members and leader, the leader's holiday homework log and the
  patrol visits of party-member teacher grid members.
- ``ClassMeeting`` and ``Reflection`` (with ``OutsidePublication``): theme class meetings, the
  students' reflections, those selected for the school magazine and those published outside.
- ``StudentAid`` and ``StudentResult``: aid given to a registered poor student (建档立卡) and the
  results followed up (exam scores, admission).
- ``CoeducationActivity``: a home–school–community activity (家校社协同育人).

See docs/modules/education-outreach.md.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.deadlines.models import DeadlineMixin, deadline_indexes
from jiceng.core.models import AreaFromMixin, ScopedModel
from jiceng.education.outreach.choices import (
    ActivityKind,
    AidKind,
    CallbackOutcome,
    Channel,
    MediaLevel,
    MeetingFormat,
    QuestionCategory,
    ResultKind,
    VenueKind,
)

# Mainland mobile numbers (11 digits from 1[3-9]) and landlines with an area code (0635-8888888).
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def validate_phone(value: str) -> None:
    if not PHONE.match(str(value).replace(" ", "")):
        raise ValidationError(
            _("Enter a mobile number (11 digits) or a landline with its area code, e.g. 0635-8241234."),
            code="phone",
        )


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678`` (lists and alerts show no full number)."""
    digits = str(value)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else digits


def area_field(related_name: str) -> models.ForeignKey:
    """The copied area of a row that belongs to another (not editable: it follows its owner)."""
    return models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name=related_name, editable=False
    )


# --- E10: the enrolment policy and the consultation log -------------------------------------------
class PolicyNotice(ScopedModel):
    """The enrolment policy of a county for one year (招生政策), published through the media
    (「通过各类媒体公开发布」); once published it may get a public page with a QR code."""

    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="enrollment_policy_notices"
    )
    year = models.PositiveSmallIntegerField(_("enrolment year"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("policy text"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    channels = models.CharField(
        _("publication channels"), max_length=300, blank=True, help_text=_("e.g. 区政府网站、微信公众号、聊城电视台")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enrolment policy notice")
        verbose_name_plural = _("enrolment policy notices")
        ordering = ["-year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "title"], name="outreach_notice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class Consultation(DeadlineMixin, ScopedModel):
    """One enrolment consultation (来电来访) with the mandatory callback (回访).

    ``area`` is the office that took it (the school's area when it concerns a school, which is the
    unit it is ranked under). The callback is due ``education.consultation.callback_workdays``
    Chinese workdays after the day it was received (``callback_due_on``, ``due_at`` at the end of
    that day); it escalates ``education.consultation.callback_escalate_workdays`` workdays later.
    Recording the callback (``services.do_record_callback``) sets ``deadline_state`` to done.
    """

    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="enrollment_consultations"
    )
    school = models.ForeignKey(
        "education.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        help_text=_("The school the question concerns (the unit it is ranked under); empty: the bureau."),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.CALL)
    caller_name = models.CharField(_("caller"), max_length=50)
    caller_phone = models.CharField(_("caller's phone"), max_length=20, validators=[validate_phone])
    caller = models.ForeignKey(
        "directory.Person",
        verbose_name=_("caller (person record)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrollment_consultations",
    )
    category = models.CharField(_("question category"), max_length=12, choices=QuestionCategory.choices)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    handled_by = models.CharField(_("handled by"), max_length=50)
    received_at = models.DateTimeField(_("received at"))
    callback_due_on = models.DateField(_("callback due on"), null=True, blank=True, editable=False)
    callback_workdays = models.PositiveSmallIntegerField(
        _("workdays allowed for the callback"), null=True, blank=True, editable=False
    )
    callback_done_at = models.DateTimeField(_("called back at"), null=True, blank=True, editable=False)
    callback_by = models.CharField(_("called back by"), max_length=50, blank=True, editable=False)
    callback_outcome = models.CharField(
        _("callback outcome"), max_length=12, choices=CallbackOutcome.choices, blank=True, editable=False
    )
    callback_notes = models.TextField(_("callback notes"), blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enrolment consultation")
        verbose_name_plural = _("enrolment consultations")
        ordering = ["-received_at", "-id"]
        indexes = [
            *deadline_indexes("outreach_consult"),
            models.Index(fields=["area", "received_at"], name="outreach_consult_area_day"),
            models.Index(fields=["school", "received_at"], name="outreach_consult_school_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(callback_done_at__isnull=True) | Q(callback_done_at__gte=models.F("received_at")),
                name="outreach_callback_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_channel_display()} · {self.caller_name} · {timezone.localtime(self.received_at):%Y-%m-%d %H:%M}"
        )

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.caller_phone)

    @property
    def is_called_back(self) -> bool:
        return self.callback_done_at is not None

    @property
    def received_on(self) -> dt.date:
        return timezone.localtime(self.received_at).date()

    def is_callback_overdue(self, now: dt.datetime) -> bool:
        """Not called back and past the end of the due day."""
        return self.callback_done_at is None and self.due_at is not None and self.due_at <= now

    def clean(self) -> None:
        if self.received_at and self.received_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"received_at": _("A consultation cannot be received in the future.")})


# --- E14: off-campus cooperative study groups -----------------------------------------------------
class StudyGroup(AreaFromMixin, ScopedModel):
    """An off-campus cooperative study group (校外合作学习小组) of one school in one natural village.

    Formed 「按自愿、就近原则」 from the students' home addresses; the leader is one of its members
    (checked by ``services.check_study_group``). ``area`` is the school's."""

    area_from = "school"

    school = models.ForeignKey(
        "education.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="study_groups"
    )
    area = area_field("study_groups")
    village = models.ForeignKey(
        "directory.Area",
        verbose_name=_("natural village"),
        on_delete=models.PROTECT,
        related_name="study_groups_here",
        help_text=_("The village the members live in (a village-level area)."),
    )
    name = models.CharField(_("name"), max_length=80)
    venue_kind = models.CharField(_("venue kind"), max_length=20, choices=VenueKind.choices)
    venue = models.CharField(_("venue"), max_length=200, help_text=_("Address of the home or office."))
    members = models.ManyToManyField(
        "education.Student", verbose_name=_("members"), related_name="study_groups", blank=True
    )
    leader = models.ForeignKey(
        "education.Student",
        verbose_name=_("group leader"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_study_groups",
    )
    formed_on = models.DateField(_("formed on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("cooperative study group")
        verbose_name_plural = _("cooperative study groups")
        ordering = ["school", "village__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="outreach_group_name_unique"),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=models.F("formed_on")),
                name="outreach_group_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.village.name if self.village_id else ''}）"

    def is_active(self, on: dt.date) -> bool:
        return self.formed_on <= on and (self.dissolved_on is None or self.dissolved_on > on)

    def clean(self) -> None:
        if self.village_id and self.village.level != "village":
            raise ValidationError({"village": _("Choose a village-level area.")}, code="village_level")


class StudyGroupRecord(AreaFromMixin, ScopedModel):
    """A row of one study group (its area is the group's)."""

    area_from = "group"

    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class StudyLog(StudyGroupRecord):
    """One day of the holiday homework supervision log kept by the group leader (假期每天作业)."""

    group = models.ForeignKey(StudyGroup, verbose_name=_("study group"), on_delete=models.CASCADE, related_name="logs")
    area = area_field("study_logs")
    on = models.DateField(_("date"))
    kept_by = models.ForeignKey(
        "education.Student", verbose_name=_("kept by"), on_delete=models.PROTECT, related_name="study_logs_kept"
    )
    present = models.PositiveSmallIntegerField(_("members present"), default=0)
    summary = models.TextField(_("homework and supervision"))

    class Meta:
        verbose_name = _("study log entry")
        verbose_name_plural = _("study log entries")
        ordering = ["-on", "group"]
        constraints = [models.UniqueConstraint(fields=["group", "on"], name="outreach_log_one_a_day")]

    def __str__(self) -> str:
        return f"{self.group} · {self.on}"


class PatrolVisit(StudyGroupRecord):
    """A patrol-guidance visit (巡回指导) to a group by a party-member teacher grid member."""

    group = models.ForeignKey(
        StudyGroup, verbose_name=_("study group"), on_delete=models.CASCADE, related_name="patrol_visits"
    )
    area = area_field("study_patrol_visits")
    teacher = models.ForeignKey(
        "education.Teacher",
        verbose_name=_("teacher (grid member)"),
        on_delete=models.PROTECT,
        related_name="patrol_visits",
        help_text=_("A party-member teacher acting as grid member (党员教师网格员)."),
    )
    visited_on = models.DateField(_("visited on"))
    notes = models.TextField(_("guidance notes"), blank=True)

    class Meta:
        verbose_name = _("patrol visit")
        verbose_name_plural = _("patrol visits")
        ordering = ["-visited_on", "group"]

    def __str__(self) -> str:
        return f"{self.group} · {self.visited_on} · {self.teacher}"

    def clean(self) -> None:
        if self.teacher_id and self.group_id and self.teacher.school_id != self.group.school_id:
            raise ValidationError({"teacher": _("The teacher teaches at another school.")}, code="teacher_school")


# --- E15: theme class meetings and reflections ---------------------------------------------------
class ClassMeeting(AreaFromMixin, ScopedModel):
    """A theme class meeting (主题班会) of one class: theme, format and plan."""

    area_from = "school_class"

    school_class = models.ForeignKey(
        "education.SchoolClass", verbose_name=_("class"), on_delete=models.PROTECT, related_name="theme_meetings"
    )
    area = area_field("class_meetings")
    held_on = models.DateField(_("held on"))
    theme = models.CharField(_("theme"), max_length=200)
    format = models.CharField(_("format"), max_length=12, choices=MeetingFormat.choices)
    plan = models.TextField(_("plan"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("theme class meeting")
        verbose_name_plural = _("theme class meetings")
        ordering = ["-held_on", "school_class"]

    def __str__(self) -> str:
        return f"{self.theme} · {self.school_class} · {self.held_on}"


class Reflection(AreaFromMixin, ScopedModel):
    """A student's reflection essay on a theme class meeting (随笔感悟); the best are selected for the
    school magazine's column (校刊《映山红》"主题班会感悟") — ``magazine_issue`` names the issue."""

    area_from = "meeting"

    meeting = models.ForeignKey(
        ClassMeeting, verbose_name=_("class meeting"), on_delete=models.CASCADE, related_name="reflections"
    )
    area = area_field("class_reflections")
    author = models.ForeignKey(
        "education.Student", verbose_name=_("author"), on_delete=models.PROTECT, related_name="reflections"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    written_on = models.DateField(_("written on"))
    is_selected = models.BooleanField(_("selected for the school magazine"), default=False)
    magazine_issue = models.CharField(
        _("magazine issue"), max_length=60, blank=True, help_text=_("e.g. 《映山红》2026年第2期")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("class meeting reflection")
        verbose_name_plural = _("class meeting reflections")
        ordering = ["-written_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} · {self.author}"

    def clean(self) -> None:
        if self.is_selected and not self.magazine_issue.strip():
            raise ValidationError({"magazine_issue": _("Name the magazine issue it is selected for.")})
        if self.magazine_issue.strip() and not self.is_selected:
            raise ValidationError({"is_selected": _("A reflection with a magazine issue is selected.")})
        if self.written_on and self.meeting_id and self.written_on < self.meeting.held_on:
            raise ValidationError({"written_on": _("A reflection is written after the meeting.")})


class OutsidePublication(AreaFromMixin, ScopedModel):
    """A reflection published in outside media (「多篇学生习作在省市有关媒体发表」)."""

    area_from = "reflection"

    reflection = models.ForeignKey(
        Reflection, verbose_name=_("reflection"), on_delete=models.CASCADE, related_name="publications"
    )
    area = area_field("reflection_publications")
    outlet = models.CharField(_("outlet"), max_length=120, help_text=_("Newspaper, magazine or website."))
    level = models.CharField(_("media level"), max_length=12, choices=MediaLevel.choices)
    published_on = models.DateField(_("published on"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("outside publication")
        verbose_name_plural = _("outside publications")
        ordering = ["-published_on", "id"]

    def __str__(self) -> str:
        return f"{self.outlet} · {self.published_on}"


# --- E16: registered poor students ---------------------------------------------------------------
class StudentRecord(AreaFromMixin, ScopedModel):
    """A row about one student (its area is the student's)."""

    area_from = "student"

    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class StudentAid(StudentRecord):
    """Aid given to a registered poor student (建档立卡贫困生资助): kind, amount, date and source."""

    student = models.ForeignKey(
        "education.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="aid_records"
    )
    area = area_field("student_aid_records")
    kind = models.CharField(_("aid kind"), max_length=12, choices=AidKind.choices)
    amount_yuan = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    granted_on = models.DateField(_("granted on"))
    source = models.CharField(
        _("source of the aid"), max_length=120, help_text=_("e.g. 国家助学金、区教育局、侨润街道")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("student aid")
        verbose_name_plural = _("student aid")
        ordering = ["-granted_on", "id"]

    def __str__(self) -> str:
        return f"{self.student} · {self.get_kind_display()} · ¥{self.amount_yuan}"


class StudentResult(StudentRecord):
    """A result followed up for a registered poor student: an exam score or an admission."""

    student = models.ForeignKey(
        "education.Student", verbose_name=_("student"), on_delete=models.PROTECT, related_name="aid_results"
    )
    area = area_field("student_results")
    kind = models.CharField(_("result kind"), max_length=10, choices=ResultKind.choices)
    on = models.DateField(_("date"))
    exam = models.CharField(_("exam"), max_length=80, blank=True, help_text=_("e.g. 2026年聊城市中考"))
    score = models.DecimalField(
        _("score"), max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    admitted_to = models.CharField(_("admitted to"), max_length=120, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("student result")
        verbose_name_plural = _("student results")
        ordering = ["-on", "id"]

    def __str__(self) -> str:
        return f"{self.student} · {self.get_kind_display()} · {self.on}"

    def clean(self) -> None:
        if self.kind == ResultKind.EXAM and self.score is None:
            raise ValidationError({"score": _("An exam result needs its score.")})
        if self.kind == ResultKind.ADMISSION and not self.admitted_to.strip():
            raise ValidationError({"admitted_to": _("An admission names the school.")})


# --- E17: home–school–community activities --------------------------------------------------------
class CoeducationActivity(AreaFromMixin, ScopedModel):
    """A home–school–community activity of a school (家校社协同育人) with its participants."""

    area_from = "school"

    school = models.ForeignKey(
        "education.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="coeducation_activities"
    )
    area = area_field("coeducation_activities")
    held_on = models.DateField(_("held on"))
    kind = models.CharField(_("activity kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    students = models.PositiveIntegerField(_("students taking part"), default=0)
    parents = models.PositiveIntegerField(_("parents taking part"), default=0)
    community_members = models.PositiveIntegerField(_("community members taking part"), default=0)
    partners = models.CharField(
        _("partners"),
        max_length=300,
        blank=True,
        help_text=_("Communities, villages and units working with the school."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("home–school–community activity")
        verbose_name_plural = _("home–school–community activities")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} · {self.held_on}"

    @property
    def participants(self) -> int:
        return self.students + self.parents + self.community_members

    def clean(self) -> None:
        if self.students + self.parents + self.community_members == 0:
            raise ValidationError(_("Record how many took part."), code="no_participants")


__all__ = [
    "ClassMeeting",
    "CoeducationActivity",
    "Consultation",
    "OutsidePublication",
    "PatrolVisit",
    "PolicyNotice",
    "Reflection",
    "StudentAid",
    "StudentResult",
    "StudyGroup",
    "StudyLog",
    "mask_phone",
    "validate_phone",
]
