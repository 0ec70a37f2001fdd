"""Hazardous chemicals, one code per enterprise per product (危险化学品"一企一品一码", catalogue S09).

A ``ChemicalProduct`` is one hazardous chemical that one enterprise produces, trades, stores or
uses: its name, CAS number, UN number, GHS hazard classes, emergency phone and a summary of its
safety data sheet (SDS). Once registered (registration number and date) it is published as a
public page under an unguessable token — the product's code, printed as a QR label — showing the
declared public fields only (``publicpages.py``). Each scan of the code along the chain
(production, storage, transport, use) that staff or the enterprise record is a ``ProductScan``.
See docs/modules/safety-chemicals.md.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import casrn
from stdnum.exceptions import ValidationError as StdnumError

from jiceng.core.models import ScopedModel
from jiceng.safety.models import EnterpriseAreaMixin, area_field

UN_NUMBER = re.compile(r"^(?:UN)?\s*(\d{4})$", re.IGNORECASE)
PHONE = re.compile(r"^\+?\d[\d\- ]{1,18}\d$")
REGISTRATION_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{4,39}$")


class HazardClass(models.TextChoices):
    """The 28 GHS hazard classes of GB 30000.2–30000.29-2013 (化学品分类和标签规范)."""

    EXPLOSIVE = "explosive", _("explosives")  # 爆炸物
    FLAMMABLE_GAS = "flammable_gas", _("flammable gases")  # 易燃气体
    AEROSOL = "aerosol", _("aerosols")  # 气溶胶
    OXIDIZING_GAS = "oxidizing_gas", _("oxidizing gases")  # 氧化性气体
    GAS_UNDER_PRESSURE = "gas_under_pressure", _("gases under pressure")  # 加压气体
    FLAMMABLE_LIQUID = "flammable_liquid", _("flammable liquids")  # 易燃液体
    FLAMMABLE_SOLID = "flammable_solid", _("flammable solids")  # 易燃固体
    SELF_REACTIVE = "self_reactive", _("self-reactive substances and mixtures")
    PYROPHORIC_LIQUID = "pyrophoric_liquid", _("pyrophoric liquids")  # 自燃液体
    PYROPHORIC_SOLID = "pyrophoric_solid", _("pyrophoric solids")  # 自燃固体
    SELF_HEATING = "self_heating", _("self-heating substances and mixtures")
    WATER_REACTIVE = "water_reactive", _("substances which in contact with water emit flammable gases")
    OXIDIZING_LIQUID = "oxidizing_liquid", _("oxidizing liquids")
    OXIDIZING_SOLID = "oxidizing_solid", _("oxidizing solids")
    ORGANIC_PEROXIDE = "organic_peroxide", _("organic peroxides")
    CORROSIVE_TO_METALS = "corrosive_to_metals", _("corrosive to metals")
    ACUTE_TOXICITY = "acute_toxicity", _("acute toxicity")
    SKIN_CORROSION = "skin_corrosion", _("skin corrosion/irritation")
    EYE_DAMAGE = "eye_damage", _("serious eye damage/eye irritation")
    SENSITISATION = "sensitisation", _("respiratory or skin sensitisation")
    MUTAGENICITY = "mutagenicity", _("germ cell mutagenicity")
    CARCINOGENICITY = "carcinogenicity", _("carcinogenicity")
    REPRODUCTIVE_TOXICITY = "reproductive_toxicity", _("reproductive toxicity")
    STOT_SINGLE = "stot_single", _("specific target organ toxicity, single exposure")
    STOT_REPEATED = "stot_repeated", _("specific target organ toxicity, repeated exposure")
    ASPIRATION = "aspiration", _("aspiration hazard")
    AQUATIC = "aquatic", _("hazardous to the aquatic environment")
    OZONE = "ozone", _("hazardous to the ozone layer")


class ScanStage(models.TextChoices):
    """Where along the chain a product code was scanned (生产、储存、运输、使用)."""

    PRODUCTION = "production", _("production stage")
    STORAGE = "storage", _("storage stage")
    TRANSPORT = "transport", _("transport stage")
    USE = "use", _("use stage")


# --- identifiers ------------------------------------------------------------------------------
def normalise_cas(value: str) -> str:
    """``67561`` or `` 67-56-1 `` → ``67-56-1`` (python-stdnum checks the check digit); ``ValidationError`` otherwise."""
    try:
        return str(casrn.validate(str(value).strip()))
    except StdnumError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid CAS registry number (e.g. 67-56-1, with its check digit)."),
            code="invalid_cas",
            params={"value": value},
        ) from exc


def normalise_un(value: str) -> str:
    """``UN1230``, ``un 1230`` or ``1230`` → ``1230``: four digits, not ``0000``."""
    found = UN_NUMBER.match(str(value).strip())
    if found is None or found.group(1) == "0000":
        raise ValidationError(
            _("“%(value)s” is not a UN number (four digits, e.g. UN1230)."), code="invalid_un", params={"value": value}
        )
    return found.group(1)


def validate_cas(value: str) -> None:
    normalise_cas(value)


def validate_un(value: str) -> None:
    normalise_un(value)


def validate_phone(value: str) -> None:
    if not PHONE.match(str(value).strip()):
        raise ValidationError(
            _("“%(value)s” is not a phone number (digits, hyphens, e.g. 0635-8212345)."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_registration_number(value: str) -> None:
    if not REGISTRATION_NUMBER.match(value):
        raise ValidationError(
            _("“%(value)s” is not a registration number (5–40 letters, digits or hyphens)."),
            code="invalid_registration_number",
            params={"value": value},
        )


def hazard_labels(codes: list[str]) -> str:
    """The Chinese (or current language) names of hazard class codes, joined with 、."""
    labels = dict(HazardClass.choices)
    return "、".join(str(labels.get(code, code)) for code in codes)


class ChemicalProduct(EnterpriseAreaMixin, ScopedModel):
    """One hazardous chemical of one enterprise (一企一品): at most one per CAS number and one per
    name in an enterprise; registered when it has its registration number and date, and then it
    carries one public code (its public page and QR label)."""

    enterprise = models.ForeignKey(
        "directory.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="chemical_products"
    )
    area = area_field("chemical_products")
    name = models.CharField(_("product name"), max_length=120)
    cas_number = models.CharField(
        _("CAS number"),
        max_length=16,
        blank=True,
        validators=[validate_cas],
        help_text=_("Empty only for a mixture without a CAS number."),
    )
    un_number = models.CharField(_("UN number"), max_length=8, validators=[validate_un])
    hazard_classes = models.JSONField(_("GHS hazard classes"), default=list)
    emergency_phone = models.CharField(_("emergency phone"), max_length=24, validators=[validate_phone])
    sds_summary = models.TextField(_("safety data sheet summary"), max_length=2000)
    registration_number = models.CharField(
        _("registration number"), max_length=40, blank=True, validators=[validate_registration_number]
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("chemical product")
        verbose_name_plural = _("chemical products")
        ordering = ["enterprise", "name"]
        indexes = [models.Index(fields=["enterprise", "registered_on"], name="chem_product_registered")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "cas_number"], condition=~Q(cas_number=""), name="chem_product_one_per_cas"
            ),
            models.UniqueConstraint(fields=["enterprise", "name"], name="chem_product_one_per_name"),
            models.UniqueConstraint(
                fields=["registration_number"],
                condition=~Q(registration_number=""),
                name="chem_product_registration_unique",
            ),
            models.CheckConstraint(
                condition=(Q(registration_number="") & Q(registered_on__isnull=True))
                | (~Q(registration_number="") & Q(registered_on__isnull=False)),
                name="chem_product_registration_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.enterprise}"

    @property
    def is_registered(self) -> bool:
        return self.registered_on is not None

    def get_un_number_display(self) -> str:
        return f"UN{self.un_number}" if self.un_number else ""

    def get_hazard_classes_display(self) -> str:
        return hazard_labels(list(self.hazard_classes or []))

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.cas_number:
            try:
                self.cas_number = normalise_cas(self.cas_number)
            except ValidationError as exc:
                errors["cas_number"] = exc
        if self.un_number:
            try:
                self.un_number = normalise_un(self.un_number)
            except ValidationError as exc:
                errors["un_number"] = exc
        classes = self.hazard_classes
        if not isinstance(classes, list) or not classes:
            errors["hazard_classes"] = _("Choose at least one GHS hazard class.")
        else:
            unknown = [c for c in classes if c not in HazardClass.values]
            if unknown:
                errors["hazard_classes"] = _("Unknown hazard class: %(codes)s.") % {
                    "codes": ", ".join(map(str, unknown))
                }
            else:
                self.hazard_classes = [c for c in HazardClass.values if c in classes]  # catalogue order, no repeats
        if bool(self.registration_number) != (self.registered_on is not None):
            errors["registered_on"] = _("A registration has both its number and its date.")
        if errors:
            raise ValidationError(errors)


class ProductScan(ScopedModel):
    """One scan of a product's code along the chain: the stage, when, who scanned it (person and
    organisation), where, and the user who recorded it. Facts: created, never edited."""

    scope_area_field = "product__area"

    product = models.ForeignKey(
        ChemicalProduct, verbose_name=_("chemical product"), on_delete=models.PROTECT, related_name="scans"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=ScanStage.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    scanner_name = models.CharField(_("scanned by"), max_length=50)
    scanner_org = models.CharField(_("scanner's organisation"), max_length=120)
    location = models.CharField(_("location"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("product code scan")
        verbose_name_plural = _("product code scans")
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["product", "scanned_at"], name="chem_scan_product_time")]

    def __str__(self) -> str:
        return (
            f"{self.product.name} · {self.get_stage_display()} · {timezone.localtime(self.scanned_at):%Y-%m-%d %H:%M}"
        )
