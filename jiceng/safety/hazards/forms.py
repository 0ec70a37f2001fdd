"""Forms of the hazard pages (input shape only; the services check the rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiceng.safety.hazards.choices import HazardStatus, RecordingKind
from jiceng.safety.hazards.models import (
    Hazard,
    Inspection,
    RectificationPlan,
    SafetyCampaign,
    TargetGroup,
)
from jiceng.safety.models import ChemicalRole

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SafetyCampaignForm(forms.ModelForm):
    class Meta:
        model = SafetyCampaign
        fields = [
            "name",
            "kind",
            "area",
            "organiser",
            "starts_on",
            "ends_on",
            "rounds",
            "key_sectors",
            "measures",
            "description",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "key_sectors": forms.CheckboxSelectMultiple,
            "measures": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class TargetGroupForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("hazardous-chemical roles"),
        choices=[c for c in ChemicalRole.choices if c[0]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TargetGroup
        fields = [
            "name",
            "template",
            "is_deep_well_casting",
            "has_explosive_dust",
            "sectors",
            "key_enterprises_only",
            "due_on",
        ]
        widgets = {"due_on": DATE, "sectors": forms.CheckboxSelectMultiple}

    def group_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["chemical_roles"] = ",".join(data.pop("roles", []) or [])
        return data


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["enterprise", "campaign", "round", "kind", "inspected_on", "officers", "summary"]
        widgets = {"inspected_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}


class RecordingForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=RecordingKind.choices)
    file = forms.FileField(label=_("file"))
    recorded_at = forms.DateTimeField(label=_("recorded at"), widget=DATETIME)
    recorded_by = forms.CharField(label=_("recorded by"), max_length=50)


class HazardForm(forms.ModelForm):
    class Meta:
        model = Hazard
        fields = ["enterprise", "severity", "description", "inspection", "campaign", "checklist_item", "found_on"]
        widgets = {"found_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["checklist_item"].queryset = self.fields["checklist_item"].queryset.select_related("template")
        if self.instance.pk:
            self.fields["enterprise"].disabled = True


class PlanForm(forms.ModelForm):
    class Meta:
        model = RectificationPlan
        fields = [
            "responsible_person",
            "responsible_unit",
            "measures",
            "funds_yuan",
            "deadline",
            "contingency_plan",
            "supervising_unit",
        ]
        widgets = {
            "deadline": DATE,
            "measures": forms.Textarea(attrs={"rows": 3}),
            "contingency_plan": forms.Textarea(attrs={"rows": 3}),
        }


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("file"), required=False)


class VerifyForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("result"),
        choices=[("1", _("passed: close the hazard")), ("0", _("not passed: back to rectification"))],
        coerce=lambda value: value == "1",
    )
    verified_on = forms.DateField(label=_("verified on"), widget=DATE)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


TARGETS = {
    HazardStatus.REPORTED: [HazardStatus.RECTIFYING],
    HazardStatus.RECTIFYING: [HazardStatus.SUBMITTED],
    HazardStatus.SUBMITTED: [HazardStatus.CLOSED, HazardStatus.RECTIFYING],
    HazardStatus.CLOSED: [HazardStatus.REPORTED],
}
TARGET_LABELS = {
    (HazardStatus.REPORTED, HazardStatus.RECTIFYING): _("order the rectification (with its deadline)"),
    (HazardStatus.RECTIFYING, HazardStatus.SUBMITTED): _("submit the rectification for verification"),
    (HazardStatus.SUBMITTED, HazardStatus.CLOSED): _("close (after a passed verification)"),
    (HazardStatus.SUBMITTED, HazardStatus.RECTIFYING): _("back to rectification (after a failed verification)"),
    (HazardStatus.CLOSED, HazardStatus.REPORTED): _("reopen"),
}


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Step"), choices=[])
    on = forms.DateField(label=_("Date of the step"), widget=DATE)
    due_on = forms.DateField(
        label=_("Deadline (ordinary hazards; empty: the full workday limit)"), required=False, widget=DATE
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)

    def __init__(self, *args: Any, hazard: Hazard, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        status = HazardStatus(hazard.status)
        self.fields["to"].choices = [(t.value, TARGET_LABELS[(status, t)]) for t in TARGETS[status]]
        if status != HazardStatus.REPORTED or hazard.is_major:
            del self.fields["due_on"]
