from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiceng.core.deadlines.models import Reminder


class ReminderForm(forms.ModelForm):
    class Meta:
        model = Reminder
        fields = [
            "subject",
            "area_code",
            "area_path",
            "assignee",
            "start_on",
            "workdays",
            "warn_workdays",
            "escalate_workdays",
            "notes",
        ]
        widgets = {"start_on": forms.DateInput(attrs={"type": "date"})}


class LoadScheduleForm(forms.Form):
    """One line per day: ``2027-01-01 holiday 元旦`` or ``2027-02-06 workday 春节调休``."""

    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    loaded_from = forms.CharField(label=_("source (document or URL)"), max_length=300)
    days = forms.CharField(
        label=_("days"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("One day per line: date, holiday or workday, name — e.g. “2027-10-01 holiday 国庆节”."),
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_days(self) -> list[tuple[Any, str, str]]:
        lines = []
        for line in self.cleaned_data["days"].splitlines():
            parts = line.replace(",", " ").split(None, 2)
            if not parts:
                continue
            if len(parts) < 2:
                raise forms.ValidationError(_("“%(line)s”: give a date and holiday/workday."), params={"line": line})
            try:
                day = dt.date.fromisoformat(parts[0])
            except ValueError as exc:
                raise forms.ValidationError(_("“%(line)s”: not a date."), params={"line": line}) from exc
            lines.append((day, parts[1].lower(), parts[2] if len(parts) > 2 else ""))
        return lines
