"""Party-building registries (catalogue P09–P22 not covered elsewhere): first secretaries,
instructors and their visits, industry-chain alliances, "1+1" branch pairings, secretaries'
contests, workshop stations and pioneer posts, park party funds, brands and demonstration
sites, cultivation targets and propaganda sites. Every row belongs to an ``area`` (its scope).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel


class Registry(ScopedModel):
    area = models.ForeignKey("directory.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class FirstSecretary(Registry):
    """A first secretary dispatched to a village (驻村第一书记), P09/P10; ``area`` is the host village."""

    person = models.ForeignKey("directory.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    dispatching_unit = models.CharField(_("dispatching unit"), max_length=200)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    league_instructor = models.BooleanField(_("also league-building instructor"), default=False)
    assessment = models.CharField(_("latest annual assessment"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("first secretary")
        verbose_name_plural = _("first secretaries")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.person}（{self.area}）"


class InstructorKind(models.TextChoices):
    RETIRED_CADRE = "retired_cadre", _("retired cadre")
    SECTION_CADRE = "section_cadre", _("section-level cadre")
    PARTY_CADRE = "party_cadre", _("party cadre")


class Instructor(Registry):
    """A party-building instructor (党建工作指导员), P13, assigned to enterprises."""

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=InstructorKind.choices)
    enterprises = models.ManyToManyField(
        "directory.Enterprise", verbose_name=_("enterprises"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("party-building instructor")
        verbose_name_plural = _("party-building instructors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstructorVisit(ScopedModel):
    scope_area_field = "instructor__area"

    instructor = models.ForeignKey(
        Instructor, verbose_name=_("instructor"), on_delete=models.CASCADE, related_name="visits"
    )
    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    content = models.CharField(_("guidance given"), max_length=300)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("instructor visit")
        verbose_name_plural = _("instructor visits")
        ordering = ["-visited_on"]

    def __str__(self) -> str:
        return f"{self.instructor} → {self.enterprise} {self.visited_on}"


class Alliance(Registry):
    """An industry-chain party alliance (产业链党建联盟), P16."""

    name = models.CharField(_("name"), max_length=200)
    chain = models.CharField(_("industrial chain"), max_length=100)
    lead_enterprise = models.ForeignKey(
        "directory.Enterprise",
        verbose_name=_("lead enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        "directory.Enterprise", verbose_name=_("member enterprises"), blank=True, related_name="+"
    )
    association_org = models.ForeignKey(
        "party.PartyOrg",
        verbose_name=_("association general branch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("industry-chain alliance")
        verbose_name_plural = _("industry-chain alliances")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BranchPairing(Registry):
    """A "1+1" pairing of an enterprise branch with a village branch (P19)."""

    enterprise_branch = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("enterprise branch"), on_delete=models.PROTECT, related_name="+"
    )
    village_branch = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("village branch"), on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("started on"))

    class Meta:
        verbose_name = _("branch pairing")
        verbose_name_plural = _("branch pairings")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise_branch", "village_branch"], name="party_pairing_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_branch} + {self.village_branch}"


class JointActionKind(models.TextChoices):
    POLICY = "policy", _("explaining policy")
    TECHNOLOGY = "technology", _("passing on technology")
    PROJECT = "project", _("bringing in a project")
    OTHER = "other", _("other")


class JointAction(ScopedModel):
    scope_area_field = "pairing__area"

    pairing = models.ForeignKey(
        BranchPairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=JointActionKind.choices)
    held_on = models.DateField(_("held on"))
    summary = models.CharField(_("summary"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.summary}"


class Contest(Registry):
    """A contest of village secretaries (擂台比武), P11, scored by a jury."""

    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("held on"))

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.name


class ContestEntry(ScopedModel):
    scope_area_field = "contest__area"

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="entries")
    contestant = models.ForeignKey(
        "directory.Person", verbose_name=_("contestant"), on_delete=models.PROTECT, related_name="+"
    )
    org = models.ForeignKey(
        "party.PartyOrg",
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scores = models.JSONField(_("jury scores"), default=dict, help_text=_("juror → score"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["contest", "pk"]

    def __str__(self) -> str:
        return f"{self.contest} · {self.contestant}"


class PostKind(models.TextChoices):
    RED_STATION = "red_station", _("red-sail station")  # 红帆驿站
    DEMONSTRATION_ZONE = "demonstration_zone", _("party member demonstration zone")  # 党员示范区
    PIONEER_POST = "pioneer_post", _("party member pioneer post")  # 党员先锋岗
    ENERGY_CHAMPION = "energy_champion", _("energy-saving champion")  # 节能减排能手


class Post(Registry):
    """A workshop station or post of party members in an enterprise (P18)."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PostKind.choices)
    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    members = models.ManyToManyField(
        "party_members.PartyMember", verbose_name=_("members"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("station or pioneer post")
        verbose_name_plural = _("stations and pioneer posts")
        ordering = ["enterprise", "name"]

    def __str__(self) -> str:
        return self.name


class FundSource(models.TextChoices):
    FISCAL = "fiscal", _("fiscal allocation")
    DUES_REFUND = "dues_refund", _("party dues refund")
    PRE_TAX = "pre_tax", _("enterprise pre-tax expense")


class FundUse(models.TextChoices):
    PARTY_ACTIVITY = "party_activity", _("party activities")
    RED_ALLOWANCE = "red_allowance", _("red allowance for party-affairs workers")
    OTHER = "other", _("other use")


class FundEntry(Registry):
    """The park party fund ledger (P14): income by source, spending by use (party activities only)."""

    org = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="+"
    )
    booked_on = models.DateField(_("booked on"))
    income_source = models.CharField(_("income source"), max_length=12, choices=FundSource.choices, blank=True)
    use = models.CharField(_("use"), max_length=16, choices=FundUse.choices, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, help_text=_("Income positive, spending negative")
    )
    payee = models.CharField(_("payee"), max_length=100, blank=True)
    description = models.CharField(_("description"), max_length=300)

    class Meta:
        verbose_name = _("party fund entry")
        verbose_name_plural = _("party fund entries")
        ordering = ["-booked_on"]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.amount}"


class BrandLevel(models.TextChoices):
    CITY = "city", _("city level")
    COUNTY = "county", _("county level")
    DISTRICT = "district", _("district or park level")


class BrandKind(models.TextChoices):
    DEMONSTRATION_POINT = "demonstration_point", _("demonstration point")
    TRAINING_BASE = "training_base", _("training base")
    FEATURE_BRANCH = "feature_branch", _("feature branch")
    BRAND = "brand", _("party-building brand")


class Brand(Registry):
    """Brands, demonstration points, training bases and feature branches (P17)."""

    name = models.CharField(_("name"), max_length=200)
    org = models.ForeignKey(
        "party.PartyOrg",
        verbose_name=_("party organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=10, choices=BrandLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=BrandKind.choices)
    year = models.PositiveSmallIntegerField(_("year named"))

    class Meta:
        verbose_name = _("brand or demonstration site")
        verbose_name_plural = _("brands and demonstration sites")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class CultivationTarget(Registry):
    """A cultivation target of the 百千万 project (P15), supervised monthly, observed quarterly,
    debriefed yearly (checklist campaigns)."""

    org = models.ForeignKey(
        "party.PartyOrg", verbose_name=_("party organisation"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=10, choices=BrandLevel.choices)
    category = models.CharField(_("category"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year selected"))
    reached_standard_on = models.DateField(_("reached the standard on"), null=True, blank=True)

    class Meta:
        verbose_name = _("cultivation target")
        verbose_name_plural = _("cultivation targets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class PropagandaSite(Registry):
    """A party-building theme park, red propaganda site or integrity-culture board (P22)."""

    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=200)
    themes = models.CharField(_("modules and themes"), max_length=300)

    class Meta:
        verbose_name = _("propaganda site")
        verbose_name_plural = _("propaganda sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
