"""Forms of catchment allocation (input shape only; the rules are in ``services``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.directory.models import Area
from jiceng.education.allocation.choices import EntryGrade, RunMode
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord


class CatchmentZoneForm(forms.ModelForm):
    class Meta:
        model = CatchmentZone
        fields = ["name", "area", "grade", "kind", "schools", "villages", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = Area.objects.filter(level="village")  # type: ignore[attr-defined]


class EnrolmentPlanForm(forms.ModelForm):
    class Meta:
        model = EnrolmentPlan
        fields = ["school", "year", "grade", "planned_classes", "notes"]


class IntakeRecordForm(forms.ModelForm):
    class Meta:
        model = IntakeRecord
        fields = ["school", "year", "grade", "admitted", "source"]


def _json(text: str, *, kind: type) -> Any:
    if not text.strip():
        return kind()
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise forms.ValidationError(_("Not valid JSON.")) from exc
    if not isinstance(value, kind):
        raise forms.ValidationError(_("Not the expected JSON structure."))
    return value


class WhatIfForm(forms.Form):
    """A what-if run of an existing run: its cohort and seed, with changed capacities or zones."""

    base_run = forms.ModelChoiceField(queryset=AllocationRun.objects.all(), label=_("what-if of"))
    name = forms.CharField(label=_("name"), max_length=120, required=False)
    mode = forms.ChoiceField(label=_("mode"), choices=[("", "—"), *RunMode.choices], required=False)
    capacity_overrides = forms.CharField(
        label=_("capacity overrides"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('JSON: {"school id": seats, …}'),
    )
    zone_overrides = forms.CharField(
        label=_("zone overrides"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('JSON: {"zone id": {"villages": [area ids], "schools": [school ids]}, …}'),
    )
    diversions = forms.CharField(
        label=_("diversions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('JSON, whole-grade diversion: {"school id": [receiving school ids], …}'),
    )

    def clean_capacity_overrides(self) -> Any:
        return _json(self.cleaned_data["capacity_overrides"], kind=dict)

    def clean_zone_overrides(self) -> Any:
        return _json(self.cleaned_data["zone_overrides"], kind=dict)

    def clean_diversions(self) -> Any:
        return _json(self.cleaned_data["diversions"], kind=dict) or None


class RunForm(forms.Form):
    """A new run of a cohort given as JSON (the API's ``applicants``)."""

    area = forms.ModelChoiceField(queryset=Area.objects.filter(level="county"), label=_("area"))
    year = forms.IntegerField(label=_("school year"), min_value=2000, max_value=2100)
    grade = forms.TypedChoiceField(label=_("entry grade"), choices=EntryGrade.choices, coerce=int)
    mode = forms.ChoiceField(label=_("mode"), choices=RunMode.choices)
    seed = forms.IntegerField(
        label=_("lottery seed"), required=False, min_value=0, help_text=_("Empty: drawn now and recorded.")
    )
    name = forms.CharField(label=_("name"), max_length=120, required=False)
    applicants = forms.CharField(
        label=_("applicants"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            'JSON list: [{"name": …, "home_area": "village code", "preferences": [school ids], "is_policy_care": false}, …]'
        ),
    )
    diversions = forms.CharField(label=_("diversions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_applicants(self) -> Any:
        return _json(self.cleaned_data["applicants"], kind=list)

    def clean_diversions(self) -> Any:
        return _json(self.cleaned_data["diversions"], kind=dict)
