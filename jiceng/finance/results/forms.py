"""Forms of the results pages (shape only; the rules are in the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.finance.results.choices import FindingKind, Measure
from jiceng.finance.results.models import Finding, PerformanceTarget, ReviewNote, TargetReport


class DateInput(forms.DateInput):
    input_type = "date"


class PerformanceTargetForm(forms.ModelForm):
    class Meta:
        model = PerformanceTarget
        fields = ["project", "category", "indicator", "target_value", "unit", "direction", "weight"]


class TargetReportForm(forms.ModelForm):
    class Meta:
        model = TargetReport
        fields = ["reported_on", "achieved", "forecast", "note"]
        widgets = {"reported_on": DateInput()}


class FindingForm(forms.ModelForm):
    measures = forms.MultipleChoiceField(
        label=_("measures"), choices=Measure.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput(), initial=timezone.localdate)

    class Meta:
        model = Finding
        fields = ["project", "kind", "text", "measures", "target", "issued_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # an issued finding: only its text and measures are corrected
            for name in ("project", "kind", "target", "issued_on"):
                self.fields.pop(name)
        else:
            self.fields["kind"].initial = FindingKind.EXECUTION_LAG


class RespondForm(forms.Form):
    text = forms.CharField(label=_("response"), widget=forms.Textarea)
    on = forms.DateField(label=_("responded on"), widget=DateInput(), initial=timezone.localdate)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("closing note"), widget=forms.Textarea, required=False)
    on = forms.DateField(label=_("closed on"), widget=DateInput(), initial=timezone.localdate)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), widget=forms.Textarea)
    on = forms.DateField(label=_("rejected on"), widget=DateInput(), initial=timezone.localdate)


class ScanForm(forms.Form):
    on = forms.DateField(label=_("scan on"), widget=DateInput(), initial=timezone.localdate)


class WarningFindingForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label=_("measures"), choices=Measure.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    on = forms.DateField(label=_("issued on"), widget=DateInput(), initial=timezone.localdate)


class GenerateReportForm(forms.Form):
    period_end = forms.DateField(label=_("period ends on"), widget=DateInput())
    title = forms.CharField(label=_("title"), max_length=200, required=False)


class ReviewNoteForm(forms.ModelForm):
    class Meta:
        model = ReviewNote
        fields = ["department", "project", "for_year", "recommendation", "amount", "text", "finding"]
