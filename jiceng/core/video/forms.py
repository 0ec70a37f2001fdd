"""The camera form: subject, stream, schedule, zone (text form), restricted times, detectors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.errors import InvalidInput
from jiceng.core.video.detectors import default_detector_keys, detector_choices
from jiceng.core.video.models import Camera
from jiceng.core.video.subjects import find_subject, subject_type_choices
from jiceng.core.video.zones import parse_windows_text, parse_zone_text, windows_text, zone_text


class CameraForm(forms.ModelForm):
    subject_type = forms.ChoiceField(label=_("subject type"), choices=())
    subject_id = forms.CharField(label=_("subject id"), max_length=64)
    zone_text = forms.CharField(
        label=_("restricted zone"),
        required=False,
        help_text=_("Corner points as fractions of the frame, e.g. 0.1,0.2; 0.9,0.2; 0.9,0.9; 0.1,0.9"),
    )
    windows_text = forms.CharField(
        label=_("restricted times"),
        required=False,
        help_text=_("Weekdays (1 = Monday) and times, e.g. 1-5 18:00-08:00; 6,7 00:00-24:00. Empty: always."),
    )
    detector_keys = forms.MultipleChoiceField(
        label=_("detectors"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Camera
        fields = ["name", "stream_url", "location", "is_active", "snapshot_interval_seconds"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user: Any = None
        self.fields["subject_type"].choices = subject_type_choices()
        self.fields["detector_keys"].choices = detector_choices()
        if self.instance.pk:
            self.initial.setdefault(
                "subject_type",
                self.instance.content_type.model_class()._meta.label_lower
                if self.instance.content_type.model_class()
                else "",
            )
            self.initial.setdefault("subject_id", self.instance.object_id)
            self.initial.setdefault("zone_text", zone_text(self.instance.zone or []))
            self.initial.setdefault("windows_text", windows_text(self.instance.zone_windows or []))
            self.initial.setdefault("detector_keys", list(self.instance.detectors or []))
        else:
            self.initial.setdefault("detector_keys", default_detector_keys())

    def bind_user(self, user: Any) -> None:
        self.user = user

    def clean_zone_text(self) -> list[list[float]]:
        try:
            return parse_zone_text(self.cleaned_data.get("zone_text", ""))
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean_windows_text(self) -> list[dict[str, Any]]:
        try:
            return parse_windows_text(self.cleaned_data.get("windows_text", ""))
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        label, object_id = data.get("subject_type"), data.get("subject_id")
        if label and object_id:
            subject = find_subject(self.user, label, object_id)
            if subject is None:
                self.add_error("subject_id", _("No such subject in your areas."))
            data["subject"] = subject
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "stream_url": data["stream_url"],
            "location": data.get("location", ""),
            "is_active": data.get("is_active", False),
            "snapshot_interval_seconds": data.get("snapshot_interval_seconds"),
            "zone": data.get("zone_text") or [],
            "zone_windows": data.get("windows_text") or [],
            "detectors": list(data.get("detector_keys") or []),
        }


class HandleDetectionForm(forms.Form):
    note = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
