"""Forms check input shape; the services and model ``clean()`` enforce the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.directory.models import Area, Enterprise, Grid, Person, Unit, normalise_id_number


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return f"{'　' * max(obj.depth, 0)}{obj.name} ({obj.code})"


class AreaForm(forms.ModelForm):
    parent = AreaChoiceField(queryset=Area.objects.all(), required=False, label=_("parent"))

    class Meta:
        model = Area
        fields = ["code", "name", "kind", "parent", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }


class ScopedAreaModelForm(forms.ModelForm):
    area = AreaChoiceField(queryset=Area.objects.all(), label=_("area"))


class UnitForm(ScopedAreaModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "area", "phone", "address"]


class PersonForm(ScopedAreaModelForm):
    class Meta:
        model = Person
        fields = ["name", "id_number", "area", "phone", "address"]

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data["id_number"]).upper()


class EnterpriseForm(ScopedAreaModelForm):
    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "sector",
            "scale",
            "legal_representative",
            "phone",
            "address",
            "area",
            "is_key",
        ]


class PersonByIdNumberField(forms.CharField):
    """Pick a person by typing the resident ID number (lists of 50,000 names are no use)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user: Any = None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            person = Person.objects.filter(pk=value).only("id_number").first()
            return person.id_number if person else ""
        return value

    def clean(self, value: Any) -> Person | None:
        value = super().clean(value)
        if not value:
            return None
        person = Person.objects.restrict(self.user, "view").filter(id_number=normalise_id_number(value).upper()).first()
        if person is None:
            raise forms.ValidationError(
                _("No person with this resident ID number in your area."), code="unknown_person"
            )
        return person


class GridForm(ScopedAreaModelForm):
    grid_worker = PersonByIdNumberField(label=_("grid worker (resident ID number)"), required=False)

    class Meta:
        model = Grid
        fields = ["name", "code", "area", "grid_worker", "households"]

    def bind_user(self, user: Any) -> None:
        self.fields["grid_worker"].user = user
        self.fields["area"].queryset = self.fields["area"].queryset.filter(level="village")
