"""Member points (笑脸积分) and branch star ratings (星级党支部).

Points live on the scoring engine's append-only ledger (``scoring.PointsEntry``, subject = the
``PartyMember``); ``MemberPointsEntry`` is a proxy so that the party roles grant them. The rules
catalogue says what may be recorded, for how many points, with which evidence, by whom.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel
from jiceng.core.scoring.models import PointsEntry


class Recorder(models.TextChoices):
    BRANCH = "branch", _("the branch (secretary)")
    TOWNSHIP = "township", _("the township party committee")


class PointsRule(ScopedModel):
    """One line of an area's points catalogue; applies to members in the area's subtree."""

    area = models.ForeignKey("directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1, help_text=_("Negative for deductions"))
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    recorder = models.CharField(_("who may record"), max_length=10, choices=Recorder.choices, default=Recorder.BRANCH)
    active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ["area__path", "code"]
        constraints = [models.UniqueConstraint(fields=["area", "code"], name="party_points_rule_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}（{self.points:+}）"


class MemberPointsEntry(PointsEntry):
    """The ledger rows whose subject is a party member (a proxy: same table, party permissions)."""

    class Meta:
        proxy = True
        verbose_name = _("member points entry")
        verbose_name_plural = _("member points entries")


class AppealStatus(models.TextChoices):
    OPEN = "open", _("open")
    UPHELD = "upheld", _("upheld (entry reversed)")
    REJECTED = "rejected", _("rejected")


class PointsAppeal(ScopedModel):
    """A member's appeal against one ledger entry; upheld → a reversing entry, never an edit."""

    scope_area_field = "member__area"

    entry = models.ForeignKey(PointsEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(
        "party_members.PartyMember", verbose_name=_("member"), on_delete=models.PROTECT, related_name="points_appeals"
    )
    filed_on = models.DateField(_("filed on"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("points appeal")
        verbose_name_plural = _("points appeals")
        ordering = ["-filed_on"]

    def __str__(self) -> str:
        return f"{self.member} · {self.filed_on}"


class StarRating(ScopedModel):
    """A branch's star rating for a year, from scores per criterion with evidence."""

    scope_area_field = "org__area"

    org = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="star_ratings"
    )
    year = models.PositiveSmallIntegerField(_("year rated"))
    scores = models.JSONField(_("scores"), default=dict, help_text=_("criterion code → points"))
    evidence = models.JSONField(_("evidence"), default=dict, help_text=_("criterion code → evidence"))
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1)
    band_stars = models.PositiveSmallIntegerField(_("stars by score"))
    stars = models.PositiveSmallIntegerField(_("stars awarded"), null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    rated_on = models.DateField(_("rated on"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("star rating")
        verbose_name_plural = _("star ratings")
        ordering = ["-year", "-total"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="party_star_rating_once")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"
