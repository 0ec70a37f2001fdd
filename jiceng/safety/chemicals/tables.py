"""Tables of the chemical registration (list pages and XLSX exports)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan, hazard_labels


class ChemicalProductTable(tables.Table):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)
    un_number = tables.Column(verbose_name=_("UN number"))
    hazard_classes = tables.Column(verbose_name=_("GHS hazard classes"), orderable=False)

    class Meta:
        model = ChemicalProduct
        fields = (
            "name",
            "enterprise",
            "cas_number",
            "un_number",
            "hazard_classes",
            "registration_number",
            "registered_on",
        )

    def render_un_number(self, value: str) -> str:
        return f"UN{value}"

    def value_un_number(self, value: str) -> str:
        return f"UN{value}"

    def render_hazard_classes(self, value: Any) -> str:
        return hazard_labels(list(value or []))

    def value_hazard_classes(self, value: Any) -> str:
        return hazard_labels(list(value or []))


class ProductScanTable(tables.Table):
    scanned_at = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i")
    product = tables.Column(accessor="product__name", verbose_name=_("chemical product"))
    enterprise = tables.Column(accessor="product__enterprise__name", verbose_name=_("enterprise"))

    class Meta:
        model = ProductScan
        fields = (
            "scanned_at",
            "product",
            "enterprise",
            "stage",
            "scanner_name",
            "scanner_org",
            "location",
            "recorded_by",
        )
