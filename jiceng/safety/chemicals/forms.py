"""Forms of the chemical registration (input shape only; the rules are in ``services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.safety.chemicals.models import ChemicalProduct, HazardClass, ProductScan

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ChemicalProductForm(forms.ModelForm):
    hazard_classes = forms.MultipleChoiceField(
        label=_("GHS hazard classes"), choices=HazardClass.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ChemicalProduct
        fields = [
            "enterprise",
            "name",
            "cas_number",
            "un_number",
            "hazard_classes",
            "emergency_phone",
            "sds_summary",
            "registration_number",
            "registered_on",
        ]
        widgets = {"registered_on": DATE, "sds_summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["enterprise"].disabled = True  # a product stays with its enterprise


class ProductScanForm(forms.ModelForm):
    """A scan of one product's code (the product comes from the page it is recorded on)."""

    class Meta:
        model = ProductScan
        fields = ["stage", "scanned_at", "scanner_name", "scanner_org", "location", "note"]
        widgets = {"scanned_at": DATETIME}
