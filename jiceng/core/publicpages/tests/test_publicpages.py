"""Public pages: unguessable tokens, declared fields only, scans, feedback abuse protection, QR, labels."""

import io
import time

import pytest
from django.test import override_settings

from jiceng.core.publicpages.models import PageScan, PublicFeedback
from jiceng.core.publicpages.services import (
    coarse_network,
    do_publish,
    do_revoke,
    feedback_form_stamp,
    label_sheet_pdf,
    qr_code,
)
from jiceng.core.publicpages.tests.factories import make_enterprise, make_public_page
from jiceng.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_page_shows_declared_fields_only_and_records_the_scan(cast, client):
    enterprise = make_enterprise(cast.area("东村"), name="莘县示例机械有限公司")
    page = do_publish(enterprise, acting_user=None)
    assert len(page.token) >= 32
    response = client.get(f"/p/{page.token}/", REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 MicroMessenger")
    html = response.content.decode()
    assert response.status_code == 200
    assert "莘县示例机械有限公司" in html and "东村" in html
    assert enterprise.credit_code not in html  # not declared public
    scan = PageScan.objects.get()
    assert scan.network == "203.0.113.0/24" and scan.agent_family == "wechat"
    page.refresh_from_db()
    assert page.scan_count == 1


def test_unknown_and_revoked_tokens_are_404(cast, client):
    page = make_public_page(cast.area("东村"))
    assert client.get("/p/not-a-token/").status_code == 404
    do_revoke(page, acting_user=None)
    assert client.get(f"/p/{page.token}/").status_code == 404
    assert client.get(f"/p/{page.token}/qr.svg").status_code == 404


def test_publishing_twice_returns_the_same_page(cast):
    enterprise = make_enterprise(cast.area("东村"))
    assert do_publish(enterprise, acting_user=None).pk == do_publish(enterprise, acting_user=None).pk


def _post_feedback(client, page, stamp, **extra):
    data = {"message": "后厨地面有积水", "contact": "", "website": "", "stamp": stamp, **extra}
    return client.post(f"/p/{page.token}/", data, REMOTE_ADDR="198.51.100.9")


def _old_stamp(monkeypatch):
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 60)
    stamp = feedback_form_stamp()
    monkeypatch.setattr(time, "time", real)
    return stamp


def test_feedback_is_accepted_then_rate_limited(cast, client, monkeypatch):
    page = make_public_page(cast.area("东村"))
    stamp = _old_stamp(monkeypatch)
    with override_settings(
        PUBLIC_FEEDBACK={
            "per_window": 2,
            "window_seconds": 60,
            "min_fill_seconds": 3,
            "form_max_age_seconds": 3600,
            "max_length": 1000,
        }
    ):
        assert _post_feedback(client, page, stamp).status_code == 200
        assert _post_feedback(client, page, stamp).status_code == 200
        assert _post_feedback(client, page, stamp).status_code == 429
    assert PublicFeedback.objects.count() == 2
    assert PublicFeedback.objects.first().network == "198.51.100.0/24"


def test_honeypot_and_too_fast_submissions_are_refused(cast, client, monkeypatch):
    page = make_public_page(cast.area("东村"))
    assert _post_feedback(client, page, _old_stamp(monkeypatch), website="http://spam").status_code == 400
    assert _post_feedback(client, page, feedback_form_stamp()).status_code == 400  # filled in under 3 s
    assert _post_feedback(client, page, "forged").status_code == 400
    assert PublicFeedback.objects.count() == 0


def test_qr_encodes_the_exact_public_url(cast, client):
    import segno

    page = make_public_page(cast.area("东村"))
    svg = client.get(f"/p/{page.token}/qr.svg").content
    expected = qr_code(f"http://testserver/p/{page.token}/", "svg")
    assert svg == expected
    assert segno.make(f"http://testserver/p/{page.token}/", error="m").designator  # a valid symbol
    assert client.get(f"/p/{page.token}/qr.png").content.startswith(b"\x89PNG")


def test_label_sheet_has_one_pdf_page_per_twelve_labels(cast):
    from pypdf import PdfReader

    pages = [make_public_page(cast.area("东村")) for _ in range(13)]
    reader = PdfReader(io.BytesIO(label_sheet_pdf(pages)))
    assert len(reader.pages) == 2


def test_coarse_network_never_keeps_the_full_address():
    assert coarse_network("2001:db8:1234:5678::1") == "2001:db8:1234::/48"
    assert coarse_network("garbage") == "unknown"


def test_staff_publish_and_revoke_are_scoped(cast, client):
    enterprise = make_enterprise(cast.area("东村"))
    client.login(username="county_admin", password=PASSWORD)
    response = client.post(f"/publicpages/publish/directory/enterprise/{enterprise.pk}/")
    assert response.status_code == 302
    client.login(username="outsider", password=PASSWORD)
    assert client.post(f"/publicpages/publish/directory/enterprise/{enterprise.pk}/").status_code == 404
