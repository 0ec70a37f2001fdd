"""Tables of hazardous work (list pages and XLSX exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.safety.permits.models import OperationReport, WorkPermit


class OperationReportTable(tables.Table):
    starts_at = tables.DateTimeColumn(linkify=True, format="Y-m-d H:i")
    ends_at = tables.DateTimeColumn(format="Y-m-d H:i")
    enterprise = tables.Column(linkify=False)
    is_covered = tables.BooleanColumn(verbose_name=_("covered by a permit"), orderable=False)

    class Meta:
        model = OperationReport
        fields = ("starts_at", "ends_at", "enterprise", "work_type", "location", "workers", "is_covered")


class WorkPermitTable(tables.Table):
    work_type = tables.Column(linkify=True)
    enterprise = tables.Column(linkify=False)
    valid_from = tables.DateTimeColumn(format="Y-m-d H:i")
    valid_until = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = WorkPermit
        fields = ("work_type", "level", "number", "enterprise", "location", "valid_from", "valid_until", "state")
