from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from jiceng.core.policies.models import Policy


class PolicyTable(tables.Table):
    key = tables.Column(linkify=True)
    name = tables.Column()
    value = tables.Column()
    unit = tables.Column()
    area_code = tables.Column(verbose_name=_("area"), default=_("national"))
    source = tables.Column(accessor="source_document", verbose_name=_("source"))

    class Meta:
        model = Policy
        fields = (
            "key",
            "name",
            "value",
            "unit",
            "area_code",
            "effective_from",
            "effective_to",
            "source",
            "source_article",
            "source_status",
        )
        order_by = ("key",)

    def render_source(self, record: Policy) -> str:
        doc = record.source_document
        return doc if doc.startswith("《") else f"《{doc}》"
