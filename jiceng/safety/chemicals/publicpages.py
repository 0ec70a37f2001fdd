"""The public page of a registered product: its code (一企一品一码, catalogue S09).

Publishing happens when a product is registered (``services.do_create_product`` /
``do_update_product``). The public sees only the fields declared here — what a worker, a driver
or a neighbour needs on the spot: the name, CAS and UN numbers, GHS hazard classes, emergency
phone, the SDS summary and the enterprise's name. Never the registration number, the area or
anything else of the enterprise's record.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiceng.core.publicpages.registry import PublicField, PublicSpec, public_field, register_public
from jiceng.safety.chemicals.models import ChemicalProduct


def title(product: ChemicalProduct) -> str:
    """The page and label title: ``甲醇 UN1230 莘县某化工有限公司``."""
    return f"{product.name} UN{product.un_number} {product.enterprise.name}"


register_public(
    PublicSpec(
        model=ChemicalProduct,
        title=title,
        publishable=lambda product: product.is_registered,
        fields=(
            public_field(_("product name"), "name"),
            public_field(_("CAS number"), "cas_number"),
            public_field(_("UN number"), "un_number"),
            public_field(_("GHS hazard classes"), "hazard_classes"),
            public_field(_("emergency phone"), "emergency_phone"),
            public_field(_("safety data sheet summary"), "sds_summary"),
            PublicField(_("enterprise"), lambda product: product.enterprise.name),
        ),
    )
)
