"""Tables of catchment allocation (list pages and XLSX exports)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.education.allocation import services
from jiceng.education.allocation.models import AllocationRun, CatchmentZone, EnrolmentPlan, IntakeRecord


class CatchmentZoneTable(tables.Table):
    name = tables.Column(linkify=True)
    area = tables.Column(linkify=False)
    school_count = tables.Column(verbose_name=_("schools"), empty_values=(), orderable=False)
    village_count = tables.Column(verbose_name=_("villages and communities"), empty_values=(), orderable=False)

    class Meta:
        model = CatchmentZone
        fields = ("name", "area", "grade", "kind", "school_count", "village_count")

    def render_school_count(self, record: CatchmentZone) -> int:
        return len(record.schools.all())

    def render_village_count(self, record: CatchmentZone) -> int:
        return len(record.villages.all())


class EnrolmentPlanTable(tables.Table):
    school = tables.Column(linkify=lambda record: record.get_absolute_url())
    capacity = tables.Column(verbose_name=_("capacity (seats)"), empty_values=(), orderable=False)

    class Meta:
        model = EnrolmentPlan
        fields = ("school", "year", "grade", "planned_classes", "capacity")

    def render_capacity(self, record: EnrolmentPlan) -> Any:
        found = services.plan_capacity_or_none(record)
        return "—" if found is None else found


class AllocationRunTable(tables.Table):
    name = tables.Column(linkify=True)
    area = tables.Column(linkify=False)
    base_run = tables.Column(verbose_name=_("what-if of"), linkify=True)

    class Meta:
        model = AllocationRun
        fields = (
            "name",
            "area",
            "year",
            "grade",
            "mode",
            "state",
            "base_run",
            "applicant_count",
            "placed_count",
            "unplaced_count",
            "seed",
        )


class IntakeRecordTable(tables.Table):
    school = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta:
        model = IntakeRecord
        fields = ("school", "year", "grade", "admitted", "source")

    def value_school(self, record: Any) -> str:
        return str(record.school)
