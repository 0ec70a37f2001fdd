"""Party organisations (党组织): the tree of committees, general branches, branches and groups.

Every other party app hangs its rows on a ``PartyOrg``; the org's ``area`` is what scopes them.
Set-up rules, terms and coverage live here too (docs/modules/party-orgs.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.dates import add_months
from jiceng.core.models import AreaFromMixin, ScopedModel


class OrgLevel(models.TextChoices):
    COMMITTEE = "committee", _("party committee")  # 党委
    WORKING_COMMITTEE = "working_committee", _("party working committee")  # 党工委
    GENERAL_BRANCH = "general_branch", _("general party branch")  # 党总支
    BRANCH = "branch", _("party branch")  # 党支部
    JOINT_BRANCH = "joint_branch", _("joint party branch")  # 联合党支部
    GROUP = "group", _("party group")  # 党小组


class OrgKind(models.TextChoices):
    SERVING = "serving", _("serving staff")  # 在职
    RETIRED = "retired", _("retired cadres")  # 老干部
    VILLAGE = "village", _("village")  # 村
    COMMUNITY = "community", _("community")  # 社区
    NEW_ECONOMIC = "new_economic", _("new economic and social organisations")  # 两新
    PARK = "park", _("industrial park")  # 园区
    ORGAN = "organ", _("government organ")  # 机关
    SCHOOL = "school", _("school")  # 学校
    STATE_ENTERPRISE = "state_enterprise", _("state-owned enterprise")  # 国企
    TOWNSHIP = "township", _("township")  # 乡镇
    OTHER = "other", _("other")


class OrgAreaMixin(AreaFromMixin):
    """For rows that belong to a party organisation: ``area`` is copied from ``org`` on every save."""

    area_from = "org"

    class Meta:
        abstract = True


class PartyOrg(ScopedModel):
    """One party organisation. ``area`` is where it sits in the administrative tree (its scope);
    the host is the Area, Unit or Enterprise it is set up in (at most one of unit/enterprise)."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=OrgLevel.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices, default=OrgKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    area = models.ForeignKey(
        "directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="party_orgs"
    )
    host_unit = models.ForeignKey(
        "directory.Unit",
        verbose_name=_("host unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    host_enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("host enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="party_orgs",
    )
    covered_units = models.ManyToManyField(
        "directory.Unit",
        verbose_name=_("covered units"),
        blank=True,
        related_name="joint_party_orgs",
        help_text=_("Units a joint branch covers"),
    )
    covered_enterprises = models.ManyToManyField(
        "directory.Enterprise",
        verbose_name=_("covered enterprises"),
        blank=True,
        related_name="joint_party_orgs",
        help_text=_("Enterprises a joint branch covers"),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")
        ordering = ["area__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(host_unit__isnull=True) | models.Q(host_enterprise__isnull=True),
                name="party_org_one_host",
            )
        ]

    def __str__(self) -> str:
        return self.name


class PositionRole(models.TextChoices):
    SECRETARY = "secretary", _("secretary")  # 书记
    DEPUTY_SECRETARY = "deputy_secretary", _("deputy secretary")  # 副书记
    COMMITTEE_MEMBER = "committee_member", _("committee member")  # 委员
    GROUP_LEADER = "group_leader", _("group leader")  # 党小组长


LEADERSHIP_ROLES = (PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY, PositionRole.COMMITTEE_MEMBER)


class OrgTerm(ScopedModel):
    """One term of office (届) of an organisation's committee, from the election to its expiry.

    ``term_months`` is copied from the policy in force on ``elected_on`` (the org's kind/level
    decides which); ``change_months`` is an approved delay (+) or advance (−) of the re-election.
    ``expires_on`` is stored (``elected_on + term_months + change_months``) so lists can filter.
    """

    scope_area_field = "org__area"

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="terms"
    )
    elected_on = models.DateField(_("elected on"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    term_policy_key = models.CharField(_("term rule"), max_length=120, blank=True)
    change_months = models.SmallIntegerField(_("approved delay (+) or advance (−), months"), default=0)
    change_document = models.CharField(_("approval document for the change"), max_length=200, blank=True)
    change_approved_on = models.DateField(_("change approved on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), db_index=True, editable=False)
    approved_on = models.DateField(_("result approved on"), null=True, blank=True)  # 批准
    filed_on = models.DateField(_("result filed on"), null=True, blank=True)  # 备案
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        ordering = ["org", "-elected_on"]
        constraints = [models.UniqueConstraint(fields=["org", "elected_on"], name="party_term_unique_election")]

    derived_fields = ("expires_on",)

    def __str__(self) -> str:
        return f"{self.org} {self.elected_on:%Y-%m-%d}–{self.expires_on:%Y-%m-%d}"

    def compute_expiry(self) -> dt.date:
        return add_months(self.elected_on, self.term_months + self.change_months)

    def clean_fields(self, exclude: Any = None) -> None:
        if self.elected_on and self.term_months is not None:
            self.expires_on = self.compute_expiry()
        super().clean_fields(exclude=exclude)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.expires_on = self.compute_expiry()
        super().save(*args, **kwargs)


class OrgPosition(ScopedModel):
    """A person holding a post (书记, 副书记, 委员, 党小组长) in an organisation from ``started_on``
    until ``ended_on`` (null = still holds it). ``from_management`` records whether the person is
    from the host enterprise's management (企业管理层), for the secretaries-from-management share."""

    scope_area_field = "org__area"

    org = models.ForeignKey(
        PartyOrg, verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="positions"
    )
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="party_positions"
    )
    role = models.CharField(_("role"), max_length=20, choices=PositionRole.choices, db_index=True)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    from_management = models.BooleanField(_("from the enterprise's management"), default=False)
    term = models.ForeignKey(
        OrgTerm,
        verbose_name=_("elected in term"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="positions",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["org", "role", "started_on"]
        indexes = [models.Index(fields=["role", "started_on"], name="party_position_role_idx")]

    def __str__(self) -> str:
        return f"{self.org} {self.get_role_display()} {self.person}"

    def is_current(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on > on)
