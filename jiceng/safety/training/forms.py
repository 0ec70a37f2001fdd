"""Page forms of safety training and publicity (input shape only; the services hold the rules).

People are named by resident ID number (a county has tens of thousands of them: no drop-down),
looked up among the persons the user may see.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.directory.models import Enterprise, Person, normalise_id_number, validate_id_number
from jiceng.safety.training.models import (
    Broadcast,
    CertificateCheck,
    Exam,
    PublicityActivity,
    PublicServiceAd,
    SpotTest,
    SpotTestResult,
    TrainingCampaign,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SupervisedEnterpriseMixin:
    """The enterprise drop-down lists enterprises with a safety profile (restricted to the user's
    areas by the generic edit view)."""

    def limit_enterprises(self) -> None:
        field = self.fields.get("enterprise")  # type: ignore[attr-defined]
        if field is not None:
            field.queryset = Enterprise.objects.filter(safety_profile__isnull=False).order_by("name")


class PersonLookupMixin:
    """Resolve a resident ID number to a ``Person`` the user may see."""

    user: Any = None

    def bind_user(self, user: Any) -> None:
        self.user = user

    def find_person(self, field: str) -> Person | None:
        value = (self.cleaned_data.get(field) or "").strip()  # type: ignore[attr-defined]
        if not value:
            return None
        number = normalise_id_number(value)
        try:
            validate_id_number(number)
        except forms.ValidationError as exc:
            self.add_error(field, exc)  # type: ignore[attr-defined]
            return None
        person = Person.objects.restrict(self.user, "view").filter(id_number=number).first()
        if person is None:
            self.add_error(field, _("Nobody with this resident ID number is registered in your areas."))  # type: ignore[attr-defined]
        return person


class TrainingCampaignForm(forms.ModelForm):
    class Meta:
        model = TrainingCampaign
        fields = ["name", "kind", "starts_on", "ends_on", "description"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class TrainingSessionForm(SupervisedEnterpriseMixin, forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ["enterprise", "campaign", "held_on", "topic", "kind", "trainer", "hours", "participants"]
        widgets = {"held_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_enterprises()


class ExamForm(SupervisedEnterpriseMixin, forms.ModelForm):
    class Meta:
        model = Exam
        fields = ["enterprise", "campaign", "session", "held_on", "title", "candidates", "passed"]
        widgets = {"held_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_enterprises()


class SpotTestForm(SupervisedEnterpriseMixin, forms.ModelForm):
    class Meta:
        model = SpotTest
        fields = ["enterprise", "campaign", "tested_on", "officer", "unit", "subject", "tested", "passed", "notes"]
        widgets = {"tested_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"tested": _("Leave 0 to record each employee's score instead.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_enterprises()


class SpotTestResultForm(PersonLookupMixin, forms.ModelForm):
    employee_id_number = forms.CharField(label=_("employee's resident ID number"), max_length=18)

    class Meta:
        model = SpotTestResult
        fields = ["spot_test", "score"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:  # a correction keeps the employee unless another is named
            self.fields["employee_id_number"].required = False
            self.fields["employee_id_number"].help_text = _("Leave empty to keep %(name)s.") % {
                "name": self.instance.employee
            }
            self.fields["spot_test"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("employee_id_number"):
            person = self.find_person("employee_id_number")
            if person is not None:
                data["employee"] = person
        data.pop("employee_id_number", None)
        return data


class CertificateCheckForm(SupervisedEnterpriseMixin, PersonLookupMixin, forms.ModelForm):
    bearer_id_number = forms.CharField(
        label=_("resident ID number of the person checked"),
        max_length=18,
        required=False,
        help_text=_("The person carrying the certificate, if registered; compared with the number on the certificate."),
    )

    class Meta:
        model = CertificateCheck
        fields = [
            "enterprise",
            "campaign",
            "checked_on",
            "inspector",
            "holder_name",
            "holder_id_number",
            "kind",
            "operation_type",
            "certificate_number",
            "issuing_authority",
            "issued_on",
            "valid_until",
            "found_in_register",
            "holder_matches",
            "notes",
        ]
        widgets = {
            "checked_on": DATE,
            "issued_on": DATE,
            "valid_until": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_enterprises()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["holder"] = self.find_person("bearer_id_number") if data.get("bearer_id_number") else None
        data.pop("bearer_id_number", None)
        return data


class PublicityActivityForm(forms.ModelForm):
    class Meta:
        model = PublicityActivity
        fields = [
            "target",
            "area",
            "enterprise",
            "campaign",
            "held_on",
            "title",
            "organiser",
            "venue",
            "participants",
            "ad",
            "summary",
        ]
        widgets = {"held_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


class BroadcastForm(forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = ["area", "title", "message", "ad", "severity", "starts_at", "ends_at"]
        widgets = {"starts_at": DATETIME, "ends_at": DATETIME, "message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"message": _("Leave empty to send the ad's text.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"].required = False
        self.fields["title"].required = False
        self.fields["starts_at"].required = False


class PublicServiceAdForm(forms.ModelForm):
    class Meta:
        model = PublicServiceAd
        fields = ["title", "text", "tags", "source"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class AdImageForm(forms.Form):
    image = forms.FileField(label=_("image"), required=False)
    remove = forms.BooleanField(label=_("remove the image"), required=False)
