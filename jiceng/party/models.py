"""Party organisations (党组织): the tree of committees, general branches, branches and groups.

Every other party app hangs its rows on a ``PartyOrg``; the org's ``area`` is what scopes them.
Set-up rules, terms and coverage live here too (docs/modules/party.md).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel


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
