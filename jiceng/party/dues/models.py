"""Dues (党费), membership-status records and study credit hours (学时) of party members."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel


class MemberRecord(ScopedModel):
    scope_area_field = "member__area"

    member = models.ForeignKey("party_members.PartyMember", verbose_name=_("member"), on_delete=models.PROTECT)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class IncomeDeclaration(MemberRecord):
    """The member's regular monthly income after tax, from a month on (the dues base)."""

    effective_month = models.DateField(_("from month"), help_text=_("The first day of the month"))
    monthly_income = models.DecimalField(_("monthly income after tax (yuan)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("income declaration")
        verbose_name_plural = _("income declarations")
        ordering = ["-effective_month"]
        default_related_name = "income_declarations"

    def __str__(self) -> str:
        return f"{self.member} {self.effective_month:%Y-%m} {self.monthly_income}"


class DuesReduction(MemberRecord):
    """An approved reduction or exemption (确有困难，经支部研究报上一级党委批准)."""

    from_month = models.DateField(_("from month"))
    to_month = models.DateField(_("to month"), null=True, blank=True)
    monthly_amount = models.DecimalField(_("monthly dues (yuan)"), max_digits=8, decimal_places=2)
    approval = models.CharField(_("approval document"), max_length=200)

    class Meta:
        verbose_name = _("dues reduction")
        verbose_name_plural = _("dues reductions")
        ordering = ["-from_month"]
        default_related_name = "dues_reductions"

    def __str__(self) -> str:
        return f"{self.member} {self.from_month:%Y-%m} {self.monthly_amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    TRANSFER = "transfer", _("bank transfer")
    ONLINE = "online", _("online payment")


class DuesPayment(MemberRecord):
    month = models.DateField(_("month"), help_text=_("The first day of the month paid for"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.CASH)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["-month"]
        default_related_name = "dues_payments"

    def __str__(self) -> str:
        return f"{self.member} {self.month:%Y-%m} {self.amount}"


class AssignedTask(MemberRecord):
    """Work the party assigned to a member (党所分配的工作), and when it was done."""

    task = models.CharField(_("task"), max_length=200)
    assigned_on = models.DateField(_("assigned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("assigned task")
        verbose_name_plural = _("assigned tasks")
        ordering = ["-assigned_on"]
        default_related_name = "assigned_tasks"

    def __str__(self) -> str:
        return self.task


class ContactLoss(MemberRecord):
    """A member the branch cannot reach (失联), from a date until found again."""

    lost_since = models.DateField(_("lost contact since"))
    found_on = models.DateField(_("found again on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lost contact")
        verbose_name_plural = _("lost contacts")
        ordering = ["-lost_since"]
        default_related_name = "contact_losses"

    def __str__(self) -> str:
        return f"{self.member} {self.lost_since}"


class CreditSource(models.TextChoices):
    TRAINING_CLASS = "training_class", _("training class")
    ONLINE_COURSE = "online_course", _("online course")
    LECTURE = "lecture", _("lecture")
    OTHER = "other", _("other")


class StudyCredit(MemberRecord):
    """Class hours earned outside the organisation's own meetings (which count from attendance)."""

    source = models.CharField(_("source"), max_length=16, choices=CreditSource.choices)
    title = models.CharField(_("title"), max_length=200)
    earned_on = models.DateField(_("earned on"))
    hours = models.DecimalField(_("class hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("study credit")
        verbose_name_plural = _("study credits")
        ordering = ["-earned_on"]
        default_related_name = "study_credits"

    def __str__(self) -> str:
        return f"{self.member} {self.title} {self.hours}"
