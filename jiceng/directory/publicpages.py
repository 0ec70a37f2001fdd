"""What the public sees of a directory record on its QR page."""

from django.utils.translation import gettext_lazy as _

from jiceng.core.publicpages.registry import PublicField, PublicSpec, public_field, register_public
from jiceng.directory.models import Enterprise

register_public(
    PublicSpec(
        model=Enterprise,
        title=lambda e: e.name,
        fields=(
            public_field(_("name"), "name"),
            public_field(_("sector"), "sector"),
            PublicField(_("area"), lambda e: e.area.full_name),
        ),
    )
)
