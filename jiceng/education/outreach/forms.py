"""Forms of consultation and outreach (input shape only; the rules are in ``rules`` and ``services``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiceng.education.models import Student
from jiceng.education.outreach.choices import CallbackOutcome
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    OutsidePublication,
    PatrolVisit,
    PolicyNotice,
    Reflection,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})


def enrolled_students(**where: Any) -> Any:
    """Students with an open enrollment matching ``where`` (e.g. ``enrollments__school=…``)."""
    return Student.objects.filter(enrollments__ended_on__isnull=True, **where).select_related("person").distinct()


class PolicyNoticeForm(forms.ModelForm):
    class Meta:
        model = PolicyNotice
        fields = ["area", "year", "title", "body", "published_on", "channels"]
        widgets = {"published_on": DATE, "body": forms.Textarea(attrs={"rows": 10})}


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "area",
            "school",
            "channel",
            "caller_name",
            "caller_phone",
            "category",
            "question",
            "answer",
            "handled_by",
            "received_at",
        ]
        widgets = {"received_at": DATETIME, "question": TEXT, "answer": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].required = False
        self.fields["area"].help_text = _("The office's area; left empty, the school's area is used.")


class CallbackForm(forms.Form):
    by = forms.CharField(label=_("called back by"), max_length=50)
    outcome = forms.ChoiceField(label=_("callback outcome"), choices=CallbackOutcome.choices)
    done_at = forms.DateTimeField(
        label=_("called back at"), required=False, widget=DATETIME, help_text=_("Empty: now.")
    )
    notes = forms.CharField(label=_("callback notes"), required=False, widget=TEXT)


class StudyGroupForm(forms.ModelForm):
    class Meta:
        model = StudyGroup
        fields = ["school", "village", "name", "venue_kind", "venue", "members", "leader", "formed_on", "dissolved_on"]
        widgets = {"formed_on": DATE, "dissolved_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = self.fields["village"].queryset.filter(level="village")
        students = (
            enrolled_students(enrollments__school=self.instance.school) if self.instance.pk else enrolled_students()
        )
        self.fields["members"].queryset = students
        self.fields["leader"].queryset = students
        if self.instance.pk:
            self.fields["school"].disabled = True


class StudyLogForm(forms.ModelForm):
    class Meta:
        model = StudyLog
        fields = ["group", "on", "kept_by", "present", "summary"]
        widgets = {"on": DATE, "summary": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kept_by"].required = False
        self.fields["kept_by"].help_text = _("Empty: the group leader.")
        self.fields["kept_by"].queryset = Student.objects.filter(study_groups__isnull=False).distinct()


class PatrolVisitForm(forms.ModelForm):
    class Meta:
        model = PatrolVisit
        fields = ["group", "teacher", "visited_on", "notes"]
        widgets = {"visited_on": DATE, "notes": TEXT}


class ClassMeetingForm(forms.ModelForm):
    class Meta:
        model = ClassMeeting
        fields = ["school_class", "held_on", "theme", "format", "plan"]
        widgets = {"held_on": DATE, "plan": TEXT}


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["meeting", "author", "title", "text", "written_on", "is_selected", "magazine_issue"]
        widgets = {"written_on": DATE, "text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["author"].queryset = Student.objects.filter(
                enrollments__school_class=self.instance.meeting.school_class
            ).distinct()
        else:
            self.fields["author"].queryset = Student.objects.filter(
                enrollments__school_class__theme_meetings__isnull=False
            ).distinct()


class OutsidePublicationForm(forms.ModelForm):
    class Meta:
        model = OutsidePublication
        fields = ["reflection", "outlet", "level", "published_on"]
        widgets = {"published_on": DATE}


class StudentAidForm(forms.ModelForm):
    class Meta:
        model = StudentAid
        fields = ["student", "kind", "amount_yuan", "granted_on", "source", "notes"]
        widgets = {"granted_on": DATE, "notes": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flagged = Q(is_registered_poor=True)
        if self.instance.pk:
            flagged |= Q(pk=self.instance.student_id)
        self.fields["student"].queryset = Student.objects.filter(flagged).select_related("person")


class StudentResultForm(forms.ModelForm):
    class Meta:
        model = StudentResult
        fields = ["student", "kind", "on", "exam", "score", "admitted_to", "notes"]
        widgets = {"on": DATE, "notes": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = Student.objects.filter(is_registered_poor=True).select_related("person")


class CoeducationActivityForm(forms.ModelForm):
    class Meta:
        model = CoeducationActivity
        fields = [
            "school",
            "held_on",
            "kind",
            "title",
            "description",
            "students",
            "parents",
            "community_members",
            "partners",
        ]
        widgets = {"held_on": DATE, "description": TEXT}


class FlagForm(forms.Form):
    student_number = forms.CharField(label=_("student number"), max_length=20)
    flag = forms.TypedChoiceField(
        label=_("registered poor student"),
        choices=[("1", _("flag")), ("0", _("clear the flag"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
