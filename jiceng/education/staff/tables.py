"""Tables of the staff app (list pages and XLSX exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)


class RotationPlanTable(tables.Table):
    name = tables.Column(linkify=True)
    assignments = tables.Column(verbose_name=_("assignments"), accessor="assignment_count", orderable=False)

    class Meta:
        model = RotationPlan
        fields = ("name", "year", "area", "group", "starts_on", "ends_on", "status", "assignments")


class RotationAssignmentTable(tables.Table):
    teacher = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = RotationAssignment
        fields = (
            "teacher",
            "subject",
            "from_school",
            "to_school",
            "direction",
            "role",
            "starts_on",
            "ends_on",
            "plan",
            "adjusted_by_bureau",
        )


class RecruitmentRoundTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = RecruitmentRound
        fields = ("name", "year", "area", "announced_on")


class RecruitmentPostTable(tables.Table):
    school = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = RecruitmentPost
        fields = ("school", "recruitment_round", "subject", "employment", "posts", "hired")


class MentorPairTable(tables.Table):
    mentee = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = MentorPair
        fields = ("mentee", "mentor", "school", "group", "starts_on", "ends_on")
