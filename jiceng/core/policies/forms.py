from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.policies.models import Policy


class PolicyForm(forms.ModelForm):
    """Edit one row. The area is given by code and path (core does not know the Area model)."""

    source_url = forms.URLField(label=_("source URL"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Policy
        fields = [
            "key",
            "name",
            "value_type",
            "value",
            "allowed_values",
            "unit",
            "area_code",
            "area_path",
            "effective_from",
            "effective_to",
            "source_document",
            "source_article",
            "source_url",
            "source_status",
            "notes",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
