"""The shared directory: the Area tree, units, grids, people (一人一档) and enterprises (一企一档).

Every module refers to these records instead of keeping its own copy of a person or an
enterprise. Each row is scoped by its Area (``core.scope``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.core.models import ScopedModel
from jiceng.directory.identifiers import (
    InvalidIdentifier,
    birth_date_of,
    check_credit_code,
    check_id_number,
    compact_credit_code,
    compact_id_number,
    is_male,
)

AREA_CODE_LENGTH = 12
PATH_SEPARATOR = "/"


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")
    TOWNSHIP = "township", _("township")
    VILLAGE = "village", _("village")


LEVEL_ORDER = [AreaLevel.PROVINCE, AreaLevel.CITY, AreaLevel.COUNTY, AreaLevel.TOWNSHIP, AreaLevel.VILLAGE]
# Leading digits of a code that its descendants share (GB/T 2260 + the statistical town/village parts).
CODE_PREFIX_LENGTH = {
    AreaLevel.PROVINCE: 2,
    AreaLevel.CITY: 4,
    AreaLevel.COUNTY: 6,
    AreaLevel.TOWNSHIP: 9,
    AreaLevel.VILLAGE: 12,
}


class AreaKind(models.TextChoices):
    """Finer kinds within a level (县 vs 区, 乡 vs 镇 vs 街道, 村 vs 社区)."""

    PROVINCE = "province", _("province")
    CITY = "city", _("prefecture-level city")
    COUNTY = "county", _("county")
    DISTRICT = "district", _("district")
    COUNTY_CITY = "county_city", _("county-level city")
    TOWN = "town", _("town")
    TOWNSHIP = "township", _("township")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    PARK = "park", _("development zone")
    VILLAGE = "village", _("village")
    COMMUNITY = "community", _("community")


def level_for_code(code: str) -> AreaLevel:
    """The level implied by a 12-digit statistical division code (zeros mark the unused parts)."""
    if code[2:] == "0" * 10:
        return AreaLevel.PROVINCE
    if code[4:] == "0" * 8:
        return AreaLevel.CITY
    if code[6:] == "0" * 6:
        return AreaLevel.COUNTY
    if code[9:] == "000":
        return AreaLevel.TOWNSHIP
    return AreaLevel.VILLAGE


def validate_area_code(code: str) -> None:
    if len(code) != AREA_CODE_LENGTH or not code.isdigit():
        raise ValidationError(
            _("A division code has exactly 12 digits (e.g. 371522000000); got “%(code)s”."),
            code="invalid_area_code",
            params={"code": code},
        )


class Area(ScopedModel):
    """One administrative division (行政区划) with its official 12-digit statistical code.

    ``path`` is the materialised path of codes from the province down (``370000000000/
    371500000000/…/``); scope checks are prefix matches on it. Areas are effective-dated:
    a township merged into another gets ``valid_until`` and ``successor`` and keeps its
    history, while its villages move under the successor.
    """

    scope_area_field = None

    code = models.CharField(_("division code"), max_length=12, unique=True, validators=[validate_area_code])
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices, db_index=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The area this one was merged into."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("path", "depth", "level")

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        names = []
        node: Area | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_until is None or on < self.valid_until
        )

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.code}{PATH_SEPARATOR}"

    def clean(self) -> None:
        if self.code:
            validate_area_code(self.code)
            self.level = level_for_code(self.code)  # derived: a new code may mean a new level
        if self.parent_id and self.parent:
            if self.parent_id == self.pk or (self.pk and self.parent.path.startswith(self.path or "\0")):
                raise ValidationError({"parent": _("An area cannot lie inside itself.")})
            parent_rank = LEVEL_ORDER.index(AreaLevel(self.parent.level))
            if self.level and LEVEL_ORDER.index(AreaLevel(self.level)) <= parent_rank:
                raise ValidationError(
                    {
                        "parent": _("A %(level)s cannot lie under a %(parent_level)s.")
                        % {"level": AreaLevel(self.level).label, "parent_level": AreaLevel(self.parent.level).label}
                    }
                )
            prefix = self.parent.code[: CODE_PREFIX_LENGTH.get(AreaLevel(self.parent.level), 0)]
            if self._state.adding and self.code and not self.code.startswith(prefix):
                # Only new areas: villages moved by a merger keep their old codes until re-coded.
                raise ValidationError(
                    {
                        "code": _("The code %(code)s does not lie under the parent's code %(parent_code)s.")
                        % {"code": self.code, "parent_code": self.parent.code}
                    }
                )
        elif self.level and self.level != AreaLevel.PROVINCE:
            raise ValidationError({"parent": _("Only a province has no parent.")})
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": _("The end date must be after the start date.")})
        self.path = self.compute_path()
        self.depth = self.path.count(PATH_SEPARATOR) - 1

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.path:
            self.path = self.compute_path()
            self.depth = self.path.count(PATH_SEPARATOR) - 1
        if not self.level and self.code:
            self.level = level_for_code(self.code)
        super().save(*args, **kwargs)


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("party committee organ")
    GOVERNMENT = "government", _("government")
    DEPARTMENT = "department", _("government department")
    INSTITUTION = "institution", _("public institution")
    SCHOOL = "school", _("school")
    VILLAGE_COMMITTEE = "village_committee", _("village or community committee")
    OTHER = "other", _("other")


class Unit(ScopedModel):
    """A government department, public institution or other organ (单位/部门) located in an Area."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["area__path", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unit_unique_name_per_area")]

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


ID_NUMBER_ERRORS = {
    "length": _("A resident ID number has 18 characters: 17 digits and a digit or X."),
    "region": _("The first two digits do not name a province."),
    "birth_date": _("The birth date inside the number (characters 7–14) is not a valid past date."),
    "checksum": _("The last character (check digit) does not match; the number was probably mistyped."),
}


def validate_id_number(value: str) -> None:
    try:
        check_id_number(value)
    except InvalidIdentifier as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid resident ID number: %(reason)s"),
            code="invalid_id_number",
            params={"value": value, "reason": ID_NUMBER_ERRORS[exc.reason]},
        ) from exc


def normalise_id_number(value: str) -> str:
    return compact_id_number(value)


def mask_id_number(value: str) -> str:
    """``371522199001011234`` → ``3715**********1234`` (first four and last four kept)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class Person(ScopedModel):
    """One natural person (一人一档), keyed by resident ID; sex and birth date come from the ID."""

    name = models.CharField(_("full name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True, validators=[validate_id_number])
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="persons")
    address = models.CharField(_("address"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    derived_fields = ("sex", "birth_date")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["id"]
        permissions = [("view_id_number", "Can view full resident ID numbers")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    def age_on(self, on: dt.date) -> int | None:
        if self.birth_date is None:
            return None
        years = on.year - self.birth_date.year
        if (on.month, on.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def clean(self) -> None:
        self.id_number = compact_id_number(self.id_number)
        try:
            check_id_number(self.id_number)
        except InvalidIdentifier:
            return  # the field validator reports it
        self.birth_date = birth_date_of(self.id_number)
        self.sex = Sex.MALE if is_male(self.id_number) else Sex.FEMALE


class EnterpriseScale(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")


class Sector(models.TextChoices):
    """Sections of GB/T 4754 (national economic industry classification) most seen in counties."""

    AGRICULTURE = "A", _("agriculture, forestry, animal husbandry and fishery")
    MINING = "B", _("mining")
    MANUFACTURING = "C", _("manufacturing")
    UTILITIES = "D", _("electricity, heat, gas and water")
    CONSTRUCTION = "E", _("construction")
    TRADE = "F", _("wholesale and retail trade")
    TRANSPORT = "G", _("transport, storage and post")
    HOSPITALITY = "H", _("accommodation and catering")
    IT = "I", _("information technology services")
    FINANCE = "J", _("finance")
    REAL_ESTATE = "K", _("real estate")
    BUSINESS_SERVICES = "L", _("leasing and business services")
    RESEARCH = "M", _("scientific research and technical services")
    ENVIRONMENT = "N", _("water, environment and public facilities")
    RESIDENT_SERVICES = "O", _("resident services and repairs")
    EDUCATION = "P", _("education")
    HEALTH = "Q", _("health and social work")
    CULTURE = "R", _("culture, sports and entertainment")


def validate_credit_code(value: str) -> None:
    try:
        check_credit_code(value)
    except InvalidIdentifier as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (18 characters with a valid check character)."),
            code="invalid_credit_code",
            params={"value": value},
        ) from exc


class Enterprise(ScopedModel):
    """One enterprise (一企一档), keyed by its unified social credit code."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    sector = models.CharField(_("sector"), max_length=2, choices=Sector.choices, blank=True)
    scale = models.CharField(_("scale"), max_length=8, choices=EnterpriseScale.choices, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="enterprises")
    is_key = models.BooleanField(_("key enterprise"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.credit_code = compact_credit_code(self.credit_code)


class Grid(ScopedModel):
    """A grid (网格) inside a village or community, with its households and grid worker."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("grid code"), max_length=32, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="grids"
    )
    grid_worker = models.ForeignKey(
        Person,
        verbose_name=_("grid worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grids_worked",
    )
    households = models.PositiveIntegerField(_("households"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["area__path", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="grid_unique_name_per_area")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.area_id and self.area.level != AreaLevel.VILLAGE:
            raise ValidationError({"area": _("A grid lies inside a village or community.")})
        township = self.area.parent if self.area_id else None
        if self.grid_worker_id and township is not None and not self.grid_worker.area.path.startswith(township.path):
            raise ValidationError({"grid_worker": _("The grid worker must live in the same township.")})
