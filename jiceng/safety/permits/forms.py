"""Forms of hazardous work (input shape only; the rules are in ``rules`` and ``services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.safety.permits.choices import PermitState
from jiceng.safety.permits.models import OperationReport, WorkPermit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OperationReportForm(forms.ModelForm):
    class Meta:
        model = OperationReport
        fields = ["enterprise", "work_type", "location", "starts_at", "ends_at", "workers", "description"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["enterprise"].disabled = True


class WorkPermitForm(forms.ModelForm):
    # not a model field of the form: an empty end is filled in by the service from the validity policy
    valid_until = forms.DateTimeField(
        label=_("permit valid until"),
        required=False,
        widget=DATETIME,
        help_text=_("Empty: the longest window the validity rule allows."),
    )

    class Meta:
        model = WorkPermit
        fields = [
            "enterprise",
            "number",
            "work_type",
            "hot_work_level",
            "blind_plate_mode",
            "height_m",
            "load_t",
            "is_special_power",
            "location",
            "content",
            "workers",
            "applicant",
            "guardian",
            "valid_from",
        ]
        widgets = {"valid_from": DATETIME, "content": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["enterprise"].disabled = True
            self.initial.setdefault("valid_until", self.instance.valid_until)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=[(s.value, s.label) for s in PermitState if s != "draft"])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)
