"""Scans of a product's code along the chain: who may record them, when, and through which surface."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jiceng.core.errors import InvalidInput
from jiceng.safety.chemicals import services
from jiceng.safety.chemicals.models import ProductScan
from jiceng.safety.chemicals.tests.factories import make_product

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def scan_data(product, **changes):
    return {
        "product": product,
        "stage": "transport",
        "scanned_at": NOW - dt.timedelta(hours=1),
        "scanner_name": "刘国庆",
        "scanner_org": "莘县通达危化品运输有限公司",
        "location": "聊城—莘县危险货物运输线路",
        **changes,
    }


@time_machine.travel(NOW, tick=False)
def test_a_scan_records_who_where_when_and_the_recording_user(safety_cast):
    product = make_product(safety_cast.area("东村"))
    scan = services.do_record_scan(data=scan_data(product), acting_user=safety_cast.village_staff)
    assert scan.recorded_by == safety_cast.village_staff
    assert (scan.stage, scan.scanner_org) == ("transport", "莘县通达危化品运输有限公司")


@time_machine.travel(NOW, tick=False)
def test_only_a_registered_product_has_a_code_to_scan(safety_cast):
    product = make_product(safety_cast.area("东村"), registered=False)
    with pytest.raises(InvalidInput) as refused:
        services.do_record_scan(data=scan_data(product), acting_user=safety_cast.village_staff)
    assert refused.value.field == "product"
    assert not ProductScan.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_scan_is_not_in_the_future(safety_cast):
    product = make_product(safety_cast.area("东村"))
    services.do_record_scan(data=scan_data(product, scanned_at=NOW), acting_user=None)
    with pytest.raises(InvalidInput):
        services.do_record_scan(data=scan_data(product, scanned_at=NOW + dt.timedelta(minutes=1)), acting_user=None)
    assert ProductScan.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_scan_is_not_before_the_registration(safety_cast):
    product = make_product(safety_cast.area("东村"), registered_on=dt.date(2026, 3, 1))
    on_the_day = timezone.make_aware(dt.datetime(2026, 3, 1, 0, 5))
    services.do_record_scan(data=scan_data(product, scanned_at=on_the_day), acting_user=None)
    with pytest.raises(InvalidInput):
        services.do_record_scan(
            data=scan_data(product, scanned_at=on_the_day - dt.timedelta(minutes=10)), acting_user=None
        )
    assert ProductScan.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_outsiders_cannot_record_a_scan_of_a_product_they_cannot_see(safety_cast, api):
    product = make_product(safety_cast.area("东村"))
    body = {**scan_data(product), "product": product.pk, "scanned_at": (NOW - dt.timedelta(hours=1)).isoformat()}
    response = api(safety_cast.outsider).post(reverse("productscan-list"), body, format="json")
    assert response.status_code == 400 and "product" in response.json()["errors"]
    viewer = api(safety_cast.township_viewer).post(reverse("productscan-list"), body, format="json")
    assert viewer.status_code == 403
    assert not ProductScan.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_api_records_a_scan_with_the_caller_as_recorder(safety_cast, api):
    product = make_product(safety_cast.area("东村"))
    body = {**scan_data(product), "product": product.pk, "scanned_at": (NOW - dt.timedelta(hours=1)).isoformat()}
    response = api(safety_cast.township_staff).post(reverse("productscan-list"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == "township_staff"
    listed = api(safety_cast.township_viewer).get(reverse("productscan-list"), {"product": product.pk}).json()
    assert [row["id"] for row in listed["results"]] == [response.json()["id"]]
    future = {**body, "scanned_at": (NOW + dt.timedelta(hours=1)).isoformat()}
    assert api(safety_cast.township_staff).post(reverse("productscan-list"), future, format="json").status_code == 400
    assert ProductScan.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_product_page_links_to_recording_a_scan_and_shows_the_chain(safety_cast, client):
    product = make_product(safety_cast.area("东村"))
    services.do_record_scan(data=scan_data(product, stage="storage", scanner_org="仓储部"), acting_user=None)
    client.force_login(safety_cast.township_staff)
    page = client.get(product.get_absolute_url()).content.decode()
    record = reverse("safety_chemicals:record_scan", args=[product.pk])
    assert f'href="{record}"' in page and "仓储部" in page
    form = client.get(record)
    assert form.status_code == 200 and 'name="scanned_at"' in form.content.decode()
    response = client.post(
        record,
        {
            "stage": "use",
            "scanned_at": "2026-03-10T09:30",
            "scanner_name": "陈磊",
            "scanner_org": "莘县示例机械有限公司",
            "location": "使用单位仓库",
        },
    )
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    scan = ProductScan.objects.get(stage="use")
    assert scan.recorded_by == safety_cast.township_staff
    assert timezone.localtime(scan.scanned_at).hour == 9
    future = {
        "stage": "use",
        "scanned_at": "2026-03-11T09:30",
        "scanner_name": "陈磊",
        "scanner_org": "某公司",
        "location": "仓库",
    }
    refused = client.post(record, future)
    assert refused.status_code == 400 and ProductScan.objects.filter(stage="use").count() == 1


def test_the_product_page_shows_its_code_and_never_a_publish_button(safety_cast, client):
    registered = make_product(safety_cast.area("东村"))
    services.do_update_product(registered, data={"name": "甲醇（精）"}, acting_user=safety_cast.township_staff)
    unregistered = make_product(safety_cast.area("东村"), registered=False, name="液氨", cas_number="7664-41-7")
    client.force_login(safety_cast.township_staff)
    page = services.active_page(registered)
    html = client.get(registered.get_absolute_url()).content.decode()
    assert reverse("public:qr", args=[page.token, "svg"]) in html and page.get_absolute_url() in html
    other = client.get(unregistered.get_absolute_url()).content.decode()
    assert "/publicpages/publish/" not in other and "/p/" not in other


def test_a_viewer_sees_the_chain_but_no_record_link(safety_cast, client):
    product = make_product(safety_cast.area("东村"))
    client.force_login(safety_cast.township_viewer)
    page = client.get(product.get_absolute_url()).content.decode()
    assert reverse("safety_chemicals:record_scan", args=[product.pk]) not in page
    assert client.get(reverse("safety_chemicals:record_scan", args=[product.pk])).status_code == 403
    client.force_login(safety_cast.outsider)
    assert client.get(reverse("safety_chemicals:record_scan", args=[product.pk])).status_code == 404
