"""The chemicals demo: every enterprise with a chemical role registers real products (completion 100%
computed from the rows), each with its code; a second run adds nothing."""

import random

import pytest
from django.utils import timezone

from jiceng.core.publicpages.models import PublicPage
from jiceng.demo import DEMO_APPS, DemoContext
from jiceng.directory.models import Area
from jiceng.safety.chemicals import demo
from jiceng.safety.chemicals.models import ChemicalProduct, ProductScan, normalise_cas, normalise_un
from jiceng.safety.chemicals.selectors import registration_completion
from jiceng.safety.models import SafetyProfile


@pytest.fixture
def built(db):
    ctx = DemoContext(scale=0.02, rng=random.Random(11))
    for label in ["directory", "accounts", "core.policies", "safety", "safety.chemicals"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    assert DEMO_APPS.index("safety.chemicals") > DEMO_APPS.index("safety")
    return ctx


def test_every_enterprise_with_a_role_has_a_registered_product(built):
    from jiceng.accounts.models import User

    admin = User.objects.filter(grants__role__key="admin", grants__area__level="city").first()
    province = Area.objects.get(level="province")
    data = registration_completion(admin, province, on=timezone.localdate()) if admin else None
    roles = SafetyProfile.objects.exclude(chemical_role="").count()
    assert roles > 0
    registered = ChemicalProduct.objects.filter(registered_on__isnull=False).values("enterprise").distinct().count()
    assert registered == roles
    if data is not None:
        assert all(row["rate"] is None or row["rate"] == 100 for row in data["rows"])


def test_demo_products_are_real_chemicals_with_their_codes(built):
    products = list(ChemicalProduct.objects.all())
    assert products
    for product in products:
        assert normalise_cas(product.cas_number) == product.cas_number
        assert normalise_un(product.un_number) == product.un_number
        assert demo.CHEMICALS  # the catalogue the rows come from
        product.full_clean()
    assert PublicPage.objects.filter(is_active=True).count() == len(products)
    assert ProductScan.objects.exists()
    methanol = next(v for v in demo.CHEMICALS.values() if v[0] == "甲醇")
    assert methanol[1:3] == ("67-56-1", "1230")


def test_chemicals_demo_is_idempotent(built):
    counts = (ChemicalProduct.objects.count(), ProductScan.objects.count(), PublicPage.objects.count())
    demo.build(built)
    assert (ChemicalProduct.objects.count(), ProductScan.objects.count(), PublicPage.objects.count()) == counts
