"""Pages: the list with filters, the detail (registration, class against the cap, window, buttons), the
application form (a refusal shows each reason and writes nothing) and the decision step."""

import pytest
from django.urls import reverse

from jiceng.education import sizes
from jiceng.education.testing import fill_class
from jiceng.education.transfers import services
from jiceng.education.transfers.models import Transfer


def login(client, user):
    client.force_login(user)
    return client


def form(data):
    return {"student": data["student"].pk, "to_class": data["to_class"].pk, "on": data["on"].isoformat()}


def test_apply_refused_shows_each_reason_and_writes_nothing(client, education_cast, application, target, cap, counts):
    fill_class(target, cap)
    login(client, education_cast.township_staff)
    before = counts()
    response = client.post(reverse("education_transfers:transfer_apply"), form(application()))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="refusal"' in page
    rule = sizes.cap_policy(target.school, application()["on"])
    assert rule.cite() in page and f"{cap + 1}" in page
    assert counts() == before


def test_apply_accepted_redirects_to_the_application(client, education_cast, application):
    login(client, education_cast.township_staff)
    response = client.post(reverse("education_transfers:transfer_apply"), form(application()))
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert response["Location"] == transfer.get_absolute_url()


def test_the_detail_shows_size_window_and_buttons(client, education_cast, application, window):
    transfer = services.do_apply(data=application(), acting_user=education_cast.township_staff)
    login(client, education_cast.county_admin)
    page = client.get(transfer.get_absolute_url()).content.decode()
    for section in ("registration", "class-size", "window", "next-steps"):
        assert f'id="{section}"' in page
    assert window["closes"].isoformat() in page
    assert 'data-action="approve"' in page and 'data-action="reject"' in page


def test_a_township_approval_shows_the_refusal(client, education_cast, application, counts):
    transfer = services.do_apply(data=application(), acting_user=education_cast.township_staff)
    login(client, education_cast.township_staff)
    before = counts()
    url = reverse("education_transfers:transfer_decide", args=[transfer.pk])
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 409
    assert 'id="refusal"' in response.content.decode()
    assert counts() == before
    response = login(client, education_cast.county_admin).post(url, {"action": "approve"})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == "approved"
    page = client.get(transfer.get_absolute_url()).content.decode()
    assert 'id="handover"' in page


def test_the_list_filters(client, education_cast, application):
    transfer = services.do_apply(data=application(), acting_user=education_cast.township_staff)
    login(client, education_cast.township_viewer)
    listed = client.get(reverse("education_transfers:transfer_list"), {"status": "applied"}).content.decode()
    assert transfer.get_absolute_url() in listed
    empty = client.get(reverse("education_transfers:transfer_list"), {"status": "approved"}).content.decode()
    assert transfer.get_absolute_url() not in empty


def test_the_outsider_gets_404(client, education_cast, application):
    transfer = services.do_apply(data=application(), acting_user=education_cast.township_staff)
    login(client, education_cast.outsider)
    assert client.get(transfer.get_absolute_url()).status_code == 404
    url = reverse("education_transfers:transfer_decide", args=[transfer.pk])
    assert client.post(url, {"action": "withdraw"}).status_code == 404


@pytest.mark.parametrize("user", ["township_viewer"])
def test_a_viewer_cannot_apply(client, education_cast, user):
    login(client, getattr(education_cast, user))
    assert client.get(reverse("education_transfers:transfer_apply")).status_code == 403
