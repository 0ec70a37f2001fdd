"""Test factories of the chemical registration (leaf data written directly: test set-up)."""

import datetime as dt

from django.utils import timezone

from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan
from jiceng.safety.testing import make_enterprise

METHANOL = {
    "name": "甲醇",
    "cas_number": "67-56-1",
    "un_number": "1230",
    "hazard_classes": ["flammable_liquid", "acute_toxicity", "stot_single"],
    "emergency_phone": "0635-8212345",
    "sds_summary": "无色易挥发液体，高度易燃；吞咽、皮肤接触或吸入有毒。",
}


def make_product(area, *, enterprise=None, registered=True, **kwargs):
    """A product of an enterprise in ``area`` (registered by default, not published)."""
    enterprise = enterprise or make_enterprise(area)
    values = {**METHANOL, **kwargs}
    if registered:
        values.setdefault("registration_number", f"3715{enterprise.pk:08d}")
        values.setdefault("registered_on", dt.date(2025, 6, 1))
    return ChemicalProduct.objects.create(enterprise=enterprise, **values)


def make_scan(area, *, product=None, **kwargs):
    product = product or make_product(area)
    kwargs.setdefault("stage", "storage")
    kwargs.setdefault("scanned_at", timezone.now() - dt.timedelta(hours=2))
    kwargs.setdefault("scanner_name", "王建国")
    kwargs.setdefault("scanner_org", str(product.enterprise))
    kwargs.setdefault("location", "成品库")
    return ProductScan.objects.create(product=product, **kwargs)


TEST_FACTORIES = {ChemicalProduct: make_product, ProductScan: make_scan}
