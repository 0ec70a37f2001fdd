"""Party members and the development pipeline (发展党员): one record per person.

The record follows a person from application (入党申请人) to full membership (正式党员):
``stage`` moves only through the transitions in ``transitions.py`` (guards from
《中国共产党发展党员工作细则》), and the milestone dates record when each step happened.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from jiceng.core.models import ScopedModel


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("applicant")  # 入党申请人
    ACTIVIST = "activist", _("activist")  # 入党积极分子
    CANDIDATE = "candidate", _("development candidate")  # 发展对象
    PROBATIONARY = "probationary", _("probationary member")  # 预备党员
    FULL = "full", _("full member")  # 正式党员
    CANCELLED = "cancelled", _("probation cancelled")  # 取消预备党员资格
    WITHDRAWN = "withdrawn", _("left the pipeline")  # 退出发展队伍


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    LOST_CONTACT = "lost_contact", _("lost contact")  # 失联
    SUSPENDED = "suspended", _("membership suspended")  # 停止党籍
    TRANSFERRED_OUT = "transferred_out", _("transferred out")  # 组织关系转出
    REMOVED = "removed", _("removed")  # 除名/出党
    DECEASED = "deceased", _("deceased")


class DuesCategory(models.TextChoices):
    """Which dues rule applies (rules.md §3)."""

    SALARIED = "salaried", _("salaried")
    RETIRED = "retired", _("retired")
    FARMER = "farmer", _("farmer")
    STUDENT = "student", _("student")
    UNEMPLOYED = "unemployed", _("unemployed or on relief")
    OTHER = "other", _("other")


class PartyMember(ConcurrentTransitionMixin, ScopedModel):
    """A person's party record, from applicant to full member, in one organisation (branch).

    ``area`` is the organisation's area, copied on every save so that scope needs no join.
    """

    person = models.OneToOneField(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="party_member"
    )
    org = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="members"
    )
    area = models.ForeignKey(
        "directory.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="party_members",
        editable=False,
    )
    stage = FSMField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT, protected=True)
    status = models.CharField(
        _("membership status"), max_length=16, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    # Milestones (each the date the step took effect).
    applied_on = models.DateField(_("applied on"), null=True, blank=True)  # 递交入党申请书
    activist_on = models.DateField(_("activist since"), null=True, blank=True)  # 确定为入党积极分子
    candidate_on = models.DateField(_("candidate since"), null=True, blank=True)  # 列为发展对象
    probationary_on = models.DateField(_("admitted on"), null=True, blank=True)  # 支部大会通过（预备期起算）
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)  # 转正（党龄起算）
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # Facts other rules need.
    dues_category = models.CharField(
        _("dues category"), max_length=16, choices=DuesCategory.choices, default=DuesCategory.SALARIED
    )
    under_probation_discipline = models.BooleanField(
        _("under probation within the party"), default=False, help_text=_("留党察看: cannot sponsor applicants")
    )
    planned_departure_on = models.DateField(
        _("planned departure"),
        null=True,
        blank=True,
        help_text=_("Leaving the unit (blocks admission within 3 months)"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        ordering = ["org", "person__name"]
        indexes = [models.Index(fields=["stage", "area"], name="party_member_stage_area_idx")]

    def __str__(self) -> str:
        return str(self.person)

    def save(self, *args: object, **kwargs: object) -> None:
        self.area_id = self.org.area_id
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "area" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "area"]  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]
