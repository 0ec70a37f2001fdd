"""The public page of a published enrolment policy (招生政策公开): no login, a QR code to post.

The public sees the year, title, policy text, the date it was published and the channels; not the
record's area or history. Only a published notice (``published_on`` set) may have a page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiceng.core.publicpages.registry import PublicField, PublicSpec, public_field, register_public
from jiceng.education.outreach.models import PolicyNotice

register_public(
    PublicSpec(
        model=PolicyNotice,
        title=lambda notice: f"{notice.area.name}{notice.year}年 {notice.title}",
        publishable=lambda notice: notice.is_published,
        fields=(
            public_field(_("enrolment year"), "year"),
            public_field(_("title"), "title"),
            public_field(_("policy text"), "body"),
            PublicField(
                _("published on"), lambda notice: notice.published_on.isoformat() if notice.published_on else ""
            ),
            public_field(_("publication channels"), "channels"),
        ),
    )
)
