"""Forms of transfers (input shape only; the rules are in ``rules`` and ``services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.education.models import SchoolClass, Student
from jiceng.education.transfers.models import Transfer


def _label(name: str) -> Any:
    return Transfer._meta.get_field(name).verbose_name


class TransferForm(forms.Form):
    """The application: the student, the class they would join and the transfer date (a plain form:
    the one-pending rule is the service's, with its reason, not a constraint error)."""

    student = forms.ModelChoiceField(label=_label("student"), queryset=Student.objects.select_related("person"))
    to_class = forms.ModelChoiceField(
        label=_label("to_class"), queryset=SchoolClass.objects.select_related("school").order_by("school", "grade")
    )
    on = forms.DateField(
        label=_label("on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=Transfer._meta.get_field("on").help_text,
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Step"),
        choices=[("approve", _("Approve")), ("reject", _("Reject")), ("withdraw", _("Withdraw"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
