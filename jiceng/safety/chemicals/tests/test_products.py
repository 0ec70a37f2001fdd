"""Products: identifiers on both sides of validity, one code per enterprise per product, the public
code (declared fields only, 404 once offline), QR codes and the label sheet, the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiceng.core.errors import InvalidInput
from jiceng.core.models import AuditEntry
from jiceng.core.publicpages.models import PublicPage
from jiceng.safety.chemicals import services
from jiceng.safety.chemicals.models import ChemicalProduct, normalise_cas, normalise_un
from jiceng.safety.chemicals.tests.factories import METHANOL
from jiceng.safety.testing import make_enterprise

pytestmark = pytest.mark.django_db

REGISTRATION = {"registration_number": "37152200001", "registered_on": dt.date(2025, 6, 1)}


def create(enterprise, user=None, **changes):
    return services.do_create_product(data={"enterprise": enterprise, **METHANOL, **changes}, acting_user=user)


# --- identifiers ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [("67-56-1", "67-56-1"), ("67561", "67-56-1"), (" 7782-50-5 ", "7782-50-5"), ("86290-81-5", "86290-81-5")],
)
def test_a_cas_number_with_its_check_digit_is_accepted_and_formatted(raw, expected):
    assert normalise_cas(raw) == expected


@pytest.mark.parametrize("raw", ["67-56-2", "67-56", "7782-50-4", "abc", "1-23-4"])
def test_a_cas_number_with_a_wrong_check_digit_or_shape_is_refused(raw):
    with pytest.raises(ValidationError):
        normalise_cas(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1230", "1230"), ("UN1017", "1017"), ("un 1005", "1005"), ("0004", "0004")]
)
def test_a_four_digit_un_number_is_accepted(raw, expected):
    assert normalise_un(raw) == expected


@pytest.mark.parametrize("raw", ["123", "12345", "0000", "UN12A4", "UN"])
def test_anything_but_four_digits_is_not_a_un_number(raw):
    with pytest.raises(ValidationError):
        normalise_un(raw)


def test_the_service_stores_normalised_identifiers(safety_cast):
    product = create(make_enterprise(safety_cast.area("东村")), cas_number="67561", un_number="UN1230")
    assert (product.cas_number, product.un_number) == ("67-56-1", "1230")


def test_an_invalid_cas_number_is_refused_with_its_field(safety_cast):
    enterprise = make_enterprise(safety_cast.area("东村"))
    with pytest.raises(InvalidInput) as refused:
        create(enterprise, cas_number="67-56-2")
    assert refused.value.field == "cas_number"
    assert not ChemicalProduct.objects.exists()


def test_at_least_one_known_hazard_class(safety_cast):
    enterprise = make_enterprise(safety_cast.area("东村"))
    with pytest.raises(ValidationError):
        create(enterprise, hazard_classes=[])
    with pytest.raises(ValidationError):
        create(enterprise, hazard_classes=["flammable_liquid", "radioactive"])
    assert create(enterprise, hazard_classes=["acute_toxicity", "flammable_liquid"]).hazard_classes == [
        "flammable_liquid",
        "acute_toxicity",
    ]


# --- one code per enterprise per product ------------------------------------------------------
def test_one_product_per_cas_number_in_an_enterprise(safety_cast):
    enterprise = make_enterprise(safety_cast.area("东村"))
    create(enterprise)
    with pytest.raises(InvalidInput) as refused:
        create(enterprise, name="工业甲醇", cas_number="67561")
    assert refused.value.code == "duplicate_product" and refused.value.field == "cas_number"
    assert ChemicalProduct.objects.filter(enterprise=enterprise).count() == 1


def test_the_same_chemical_at_another_enterprise_is_another_product(safety_cast):
    create(make_enterprise(safety_cast.area("东村")))
    create(make_enterprise(safety_cast.area("西村")))
    assert ChemicalProduct.objects.filter(cas_number="67-56-1").count() == 2


def test_one_product_per_name_in_an_enterprise(safety_cast):
    enterprise = make_enterprise(safety_cast.area("东村"))
    create(enterprise, cas_number="", name="稀释剂")
    with pytest.raises(InvalidInput) as refused:
        create(enterprise, cas_number="", name="稀释剂")
    assert refused.value.field == "name"
    create(enterprise, cas_number="", name="稀释剂（二号）")
    assert ChemicalProduct.objects.filter(enterprise=enterprise).count() == 2


def test_a_registration_number_belongs_to_one_product(safety_cast):
    create(make_enterprise(safety_cast.area("东村")), **REGISTRATION)
    with pytest.raises(InvalidInput) as refused:
        create(make_enterprise(safety_cast.area("东村")), **REGISTRATION)
    assert refused.value.code == "duplicate_registration"


def test_a_registration_has_its_number_and_its_date_not_in_the_future(safety_cast):
    enterprise = make_enterprise(safety_cast.area("东村"))
    with pytest.raises(InvalidInput):
        create(enterprise, registration_number="37152200001")
    with pytest.raises(InvalidInput):
        create(enterprise, registered_on=dt.date(2025, 6, 1))
    with pytest.raises(InvalidInput):
        create(enterprise, registration_number="37152200001", registered_on=dt.date.today() + dt.timedelta(days=1))
    assert not ChemicalProduct.objects.exists()


# --- the public code -----------------------------------------------------------------------------
def test_registering_publishes_the_code(safety_cast):
    enterprise = make_enterprise(safety_cast.area("东村"))
    product = create(enterprise, user=safety_cast.township_staff)
    assert services.active_page(product) is None
    product = services.do_register_product(
        product,
        acting_user=safety_cast.township_staff,
        registration_number="37152200001",
        registered_on=dt.date(2025, 6, 1),
    )
    page = services.active_page(product)
    assert page is not None and page.area_path == enterprise.area.path
    assert create(make_enterprise(safety_cast.area("东村")), **REGISTRATION | {"registration_number": "X2-0001"})
    assert PublicPage.objects.filter(is_active=True).count() == 2


def test_the_public_page_shows_the_declared_fields_only(safety_cast, client):
    enterprise = make_enterprise(safety_cast.area("东村"), name="莘县示例化工有限公司")
    product = create(enterprise, **REGISTRATION)
    page = services.active_page(product)
    html = client.get(page.get_public_url()).content.decode()
    for shown in ("甲醇", "67-56-1", "UN1230", "0635-8212345", "无色易挥发液体", "莘县示例化工有限公司"):
        assert shown in html, shown
    for hidden in (REGISTRATION["registration_number"], enterprise.credit_code, "东村"):
        assert hidden not in html, hidden
    assert "flammable_liquid" not in html  # the class is shown by its name, not its code


def test_a_revoked_code_answers_404_and_the_product_page_says_it_is_offline(safety_cast, client):
    from jiceng.core.publicpages.services import do_revoke

    product = create(make_enterprise(safety_cast.area("东村")), **REGISTRATION)
    page = services.active_page(product)
    do_revoke(page, acting_user=safety_cast.township_staff)
    assert client.get(page.get_public_url()).status_code == 404
    assert client.get(reverse("public:qr", args=[page.token, "png"])).status_code == 404
    client.force_login(safety_cast.township_staff)
    html = client.get(product.get_absolute_url()).content.decode()
    assert page.token not in html and reverse("safety_chemicals:record_scan", args=[product.pk]) in html


def test_the_code_answers_404_once_the_registration_is_removed(safety_cast, client):
    product = create(make_enterprise(safety_cast.area("东村")), **REGISTRATION)
    url = services.active_page(product).get_public_url()
    assert client.get(url).status_code == 200
    services.do_update_product(
        product, data={"registration_number": "", "registered_on": None}, acting_user=safety_cast.township_staff
    )
    assert client.get(url).status_code == 404
    assert services.active_page(product) is None


def test_renaming_a_registered_product_retitles_its_code(safety_cast, client):
    product = create(make_enterprise(safety_cast.area("东村")), **REGISTRATION)
    page = services.active_page(product)
    services.do_update_product(product, data={"name": "精甲醇"}, acting_user=safety_cast.township_staff)
    page.refresh_from_db()
    assert page.title.startswith("精甲醇 UN1230") and services.active_page(product).pk == page.pk
    assert "精甲醇" in client.get(page.get_public_url()).content.decode()


def test_deleting_a_product_takes_its_code_offline(safety_cast, client):
    product = create(make_enterprise(safety_cast.area("东村")), **REGISTRATION)
    page = services.active_page(product)
    services.do_delete_product(product, acting_user=safety_cast.township_staff)
    assert client.get(page.get_public_url()).status_code == 404
    assert not ChemicalProduct.objects.exists()


def test_qr_codes_and_the_enterprise_label_sheet(safety_cast, client):
    from pypdf import PdfReader

    enterprise = make_enterprise(safety_cast.area("东村"))
    products = [
        create(enterprise, **REGISTRATION),
        create(
            enterprise,
            name="液氯",
            cas_number="7782-50-5",
            un_number="1017",
            registration_number="37152200002",
            registered_on=dt.date(2025, 6, 1),
        ),
        create(enterprise, name="液氨", cas_number="7664-41-7", un_number="1005"),  # not registered: no label
    ]
    page = services.active_page(products[0])
    svg = client.get(reverse("public:qr", args=[page.token, "svg"]))
    assert svg.status_code == 200 and b"<svg" in svg.content
    assert client.get(reverse("public:qr", args=[page.token, "png"])).content[:4] == b"\x89PNG"
    client.force_login(safety_cast.township_staff)
    response = client.get(reverse("safety_chemicals:labels", args=[enterprise.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "甲醇" in text and "液氯" in text and "液氨" not in text
    client.force_login(safety_cast.outsider)
    assert client.get(reverse("safety_chemicals:labels", args=[enterprise.pk])).status_code == 404


# --- API -----------------------------------------------------------------------------------------
def test_api_creates_a_registered_product_with_its_public_url(safety_cast, api):
    enterprise = make_enterprise(safety_cast.area("东村"))
    body = {
        "enterprise": enterprise.pk,
        **METHANOL,
        "cas_number": "67561",
        "registration_number": "37152200001",
        "registered_on": "2025-06-01",
    }
    response = api(safety_cast.township_staff).post(reverse("chemicalproduct-list"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    page = PublicPage.objects.get(is_active=True)
    assert data["cas_number"] == "67-56-1" and data["is_registered"] is True
    assert data["public_url"] == f"http://testserver{page.get_public_url()}"
    listed = api(safety_cast.township_staff).get(reverse("chemicalproduct-list")).json()["results"]
    assert listed[0]["public_url"] == data["public_url"]
    assert api(safety_cast.outsider).get(reverse("chemicalproduct-detail", args=[data["id"]])).status_code == 404


def test_api_refuses_a_duplicate_and_writes_nothing(safety_cast, api):
    enterprise = make_enterprise(safety_cast.area("东村"))
    create(enterprise)
    client = api(safety_cast.township_staff)  # issuing the token is audited too
    audits = AuditEntry.objects.count()
    body = {"enterprise": enterprise.pk, **METHANOL, "name": "精甲醇"}
    response = client.post(reverse("chemicalproduct-list"), body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "duplicate_product" and "cas_number" in response.json()["errors"]
    assert ChemicalProduct.objects.count() == 1 and AuditEntry.objects.count() == audits


def test_api_refuses_a_bad_un_number(safety_cast, api):
    enterprise = make_enterprise(safety_cast.area("东村"))
    body = {"enterprise": enterprise.pk, **METHANOL, "un_number": "12345"}
    response = api(safety_cast.township_staff).post(reverse("chemicalproduct-list"), body, format="json")
    assert response.status_code == 400 and "un_number" in response.json()["errors"]
    assert not ChemicalProduct.objects.exists()


def test_api_filters_products_by_hazard_class_un_number_and_search(safety_cast, api):
    enterprise = make_enterprise(safety_cast.area("东村"))
    methanol = create(enterprise)
    chlorine = create(
        enterprise,
        name="液氯",
        cas_number="7782-50-5",
        un_number="1017",
        hazard_classes=["oxidizing_gas", "gas_under_pressure", "acute_toxicity"],
    )
    client = api(safety_cast.township_viewer)

    def ids(**query):
        return [row["id"] for row in client.get(reverse("chemicalproduct-list"), query).json()["results"]]

    assert set(ids(hazard_class="acute_toxicity")) == {methanol.pk, chlorine.pk}
    assert ids(hazard_class="oxidizing_gas") == [chlorine.pk]
    assert ids(hazard_class="flammable_gas") == []  # "flammable_liquid" does not match "flammable_gas"
    assert ids(un_number="UN1230") == [methanol.pk]
    assert ids(q="7782-50") == [chlorine.pk]
    assert client.get(reverse("chemicalproduct-list"), {"hazard_class": "radioactive"}).status_code == 400


def test_api_unregistered_product_has_no_public_url(safety_cast, api):
    product = create(make_enterprise(safety_cast.area("东村")))
    data = api(safety_cast.township_viewer).get(reverse("chemicalproduct-detail", args=[product.pk])).json()
    assert data["public_url"] is None and data["is_registered"] is False


def test_an_unregistered_product_has_no_code_to_publish(safety_cast, client):
    from jiceng.safety.chemicals.tests.factories import make_product

    area = safety_cast.area("燕店镇")
    draft = make_product(area, registered=False)
    client.force_login(safety_cast.township_staff)
    url = reverse("publicpages:publish", args=["safety_chemicals", "chemicalproduct", draft.pk])
    assert client.post(url).status_code == 403  # refused by the engine: nothing published
    assert not PublicPage.objects.filter(object_id=str(draft.pk)).exists()
    assert url not in client.get(draft.get_absolute_url()).content.decode()
    registered = make_product(area)
    assert (
        client.post(
            reverse("publicpages:publish", args=["safety_chemicals", "chemicalproduct", registered.pk])
        ).status_code
        == 302
    )
    assert PublicPage.objects.filter(object_id=str(registered.pk), is_active=True).exists()
