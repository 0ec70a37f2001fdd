"""The table of transfers (list page and XLSX export)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.education.transfers.models import Transfer


class TransferTable(tables.Table):
    id = tables.Column(linkify=True, verbose_name="#")
    student = tables.Column(linkify=False)
    from_school = tables.Column(linkify=False)
    to_class = tables.Column(linkify=False, verbose_name=_("into class"))
    on = tables.DateColumn(format="Y-m-d")
    applied_on = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Transfer
        fields = ("id", "student", "from_school", "to_class", "on", "applied_on", "status")
