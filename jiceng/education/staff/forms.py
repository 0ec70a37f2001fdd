"""Forms of the staff app (input shape only; the rules are in ``rules`` and ``services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RotationPlanForm(forms.ModelForm):
    class Meta:
        model = RotationPlan
        fields = ["area", "group", "year", "name", "starts_on", "ends_on", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name", "starts_on", "ends_on"):
            self.fields[name].required = False
        self.fields["name"].help_text = _("Empty: named after the county or group and the year.")
        self.fields["starts_on"].help_text = _("Empty: the county's school year.")
        if self.instance.pk:
            for name in ("area", "group", "year"):
                self.fields[name].disabled = True


class RotationAssignmentForm(forms.ModelForm):
    class Meta:
        model = RotationAssignment
        fields = ["plan", "teacher", "to_school", "to_campus", "role", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].required = False
        self.fields["ends_on"].required = False
        self.fields["role"].required = False
        self.fields["starts_on"].help_text = _("Empty: the plan's period.")
        self.fields["plan"].queryset = self.fields["plan"].queryset.filter(status="draft")
        if self.instance.pk:
            self.fields["plan"].disabled = True


class RecruitmentRoundForm(forms.ModelForm):
    class Meta:
        model = RecruitmentRound
        fields = ["name", "area", "year", "announced_on", "notes"]
        widgets = {"announced_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class RecruitmentPostForm(forms.ModelForm):
    class Meta:
        model = RecruitmentPost
        fields = ["recruitment_round", "school", "subject", "employment", "posts", "hired"]


class MentorPairForm(forms.ModelForm):
    class Meta:
        model = MentorPair
        fields = ["mentor", "mentee", "group", "starts_on", "ends_on", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class GenerateForm(forms.Form):
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**31 - 1)
