"""Writes of the chemical registration (一企一品一码): products, their registration and public code,
and the scans of the code along the chain.

Rules checked here:

- identifiers: the CAS number (python-stdnum, check digit) and the UN number (four digits) are
  normalised (``67561`` → ``67-56-1``, ``UN1230`` → ``1230``);
- one code per enterprise per product: an enterprise has at most one product per CAS number and
  one per name (and the database says so too), a registration number belongs to one product;
- a registration has its number and its date, not in the future; registering publishes the
  product's public page (``do_publish``: the code), removing the registration or the product
  takes it offline;
- a scan is of a registered product, not in the future and not before the registration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core import services
from jiceng.core.errors import InvalidInput
from jiceng.core.publicpages.models import PublicPage
from jiceng.core.publicpages.services import do_publish, do_revoke
from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan, normalise_cas, normalise_un
from jiceng.safety.chemicals.publicpages import title as public_title


def _value(data: Mapping[str, Any], obj: Any, name: str) -> Any:
    if name in data:
        return data[name]
    return getattr(obj, name, None) if obj is not None else None


def _normalised(name: str, value: Any, normalise: Any) -> str:
    try:
        return str(normalise(value))
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], code=exc.code or "invalid", field=name) from exc


def _product_data(data: Mapping[str, Any], product: ChemicalProduct | None) -> dict[str, Any]:
    """``data`` with normalised identifiers, after the one-code-per-enterprise-per-product rule."""
    data = dict(data)
    if data.get("cas_number"):
        data["cas_number"] = _normalised("cas_number", data["cas_number"], normalise_cas)
    if data.get("un_number"):
        data["un_number"] = _normalised("un_number", data["un_number"], normalise_un)
    if "name" in data and data["name"] is not None:
        data["name"] = str(data["name"]).strip()
    enterprise = _value(data, product, "enterprise")
    others = ChemicalProduct.objects.filter(enterprise=enterprise)
    if product is not None:
        others = others.exclude(pk=product.pk)
    cas = _value(data, product, "cas_number") or ""
    name = _value(data, product, "name") or ""
    if enterprise is not None and cas:
        twin = others.filter(cas_number=cas).first()
        if twin is not None:
            raise InvalidInput(
                _("%(enterprise)s already has a product with CAS number %(cas)s: %(product)s (one code per product).")
                % {"enterprise": enterprise, "cas": cas, "product": twin.name},
                code="duplicate_product",
                field="cas_number",
            )
    if enterprise is not None and name and others.filter(name=name).exists():
        raise InvalidInput(
            _("%(enterprise)s already has a product named “%(name)s” (one code per product).")
            % {"enterprise": enterprise, "name": name},
            code="duplicate_product",
            field="name",
        )
    number = (_value(data, product, "registration_number") or "").strip()
    registered_on = _value(data, product, "registered_on")
    if "registration_number" in data:
        data["registration_number"] = number
    if bool(number) != (registered_on is not None):
        raise InvalidInput(
            _("A registration has both its number and its date."),
            code="incomplete_registration",
            field="registered_on" if number else "registration_number",
        )
    if registered_on is not None and registered_on > timezone.localdate():
        raise InvalidInput(
            _("The registration date %(day)s is in the future.") % {"day": registered_on}, field="registered_on"
        )
    if number:
        taken = ChemicalProduct.objects.filter(registration_number=number)
        if product is not None:
            taken = taken.exclude(pk=product.pk)
        if taken.exists():
            raise InvalidInput(
                _("The registration number %(number)s belongs to another product.") % {"number": number},
                code="duplicate_registration",
                field="registration_number",
            )
    return data


def active_page(product: ChemicalProduct) -> PublicPage | None:
    """The product's public page (its code) while it is online."""
    return PublicPage.objects.filter(
        content_type=ContentType.objects.get_for_model(ChemicalProduct), object_id=str(product.pk), is_active=True
    ).first()


def _sync_code(product: ChemicalProduct, acting_user: Any) -> None:
    """A registered product has its public code (titled after its current name); an unregistered one
    has none online. Retitling and revoking follow from the product's change: done as the system."""
    if product.is_registered:
        page = do_publish(product, acting_user=acting_user)
        wanted = public_title(product)[:200]
        if page.title != wanted:
            services.do_update(page, data={"title": wanted}, acting_user=None, comment="product changed")
        return
    page = active_page(product)
    if page is not None:
        do_revoke(page, acting_user=None)


def do_create_product(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> ChemicalProduct:
    """Add a product of an enterprise; registered at once when the registration is given (and then published)."""
    with transaction.atomic():
        product = services.do_create(
            ChemicalProduct, data=_product_data(data, None), acting_user=acting_user, comment=comment
        )
        _sync_code(product, acting_user)
    return product


def do_update_product(
    product: ChemicalProduct, *, data: Mapping[str, Any], acting_user: Any, comment: str = ""
) -> ChemicalProduct:
    """Correct a product; adding its registration publishes its code, removing it takes the code offline."""
    if "enterprise" in data and data["enterprise"] != product.enterprise:
        raise InvalidInput(_("A product stays with its enterprise; register it anew for another."), field="enterprise")
    with transaction.atomic():
        updated = services.do_update(
            product, data=_product_data(data, product), acting_user=acting_user, comment=comment
        )
        _sync_code(updated, acting_user)
    return updated


def do_register_product(
    product: ChemicalProduct, *, registration_number: str, registered_on: dt.date, acting_user: Any, comment: str = ""
) -> ChemicalProduct:
    """Record the product's registration (危险化学品登记) and publish its code."""
    return do_update_product(
        product,
        data={"registration_number": registration_number, "registered_on": registered_on},
        acting_user=acting_user,
        comment=comment,
    )


def do_delete_product(product: ChemicalProduct, *, acting_user: Any, comment: str = "") -> None:
    """Delete a product without scans (scans are kept: a scanned product stays); its code goes offline."""
    with transaction.atomic():
        page = active_page(product)
        services.do_delete(product, acting_user=acting_user, comment=comment)
        if page is not None:
            do_revoke(page, acting_user=None)


def do_record_scan(*, data: Mapping[str, Any], acting_user: Any, comment: str = "") -> ProductScan:
    """Record one scan of a product's code along the chain (by staff or the enterprise's contact)."""
    product = data.get("product")
    scanned_at = data.get("scanned_at")
    if product is not None and not product.is_registered:
        raise InvalidInput(
            _("%(product)s is not registered yet, so it has no code to scan.") % {"product": product}, field="product"
        )
    if scanned_at is not None:
        if scanned_at > timezone.now():
            raise InvalidInput(_("A scan cannot be recorded in the future."), field="scanned_at")
        if product is not None and timezone.localtime(scanned_at).date() < product.registered_on:
            raise InvalidInput(
                _("The code of %(product)s exists since its registration on %(day)s.")
                % {"product": product.name, "day": product.registered_on},
                field="scanned_at",
            )
    recorder = acting_user if getattr(acting_user, "is_authenticated", False) else None
    return services.do_create(
        ProductScan, data={**data, "recorded_by": recorder}, acting_user=acting_user, comment=comment
    )
