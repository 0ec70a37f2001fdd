"""The pages: dashboard, lists and details, the step forms (409 with reasons on the page), downloads,
the summary and review pages; the outsider gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from jiceng.core.testing import PASSWORD
from jiceng.finance.results import services
from jiceng.finance.results.tests.helpers import JULY, issue, report, target

pytestmark = pytest.mark.django_db
BASE = "/finance/results/"


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_every_page_renders(fr):
    goal = target(fr.project, user=fr.staff, value="100")
    report(goal, user=fr.staff, forecast="50")
    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 11, 2))
    made = services.do_generate_report(area=fr.area("莘县"), period_end=JULY, acting_user=fr.bureau)
    client = login(fr.bureau)
    for url in (
        BASE,
        f"{BASE}?on=2026-07-31",
        f"{BASE}targets/",
        f"{BASE}targets/{goal.pk}/",
        f"{BASE}deviations/?on=2026-07-31",
        f"{BASE}summary/?on=2026-07-31",
        f"{BASE}findings/",
        f"{BASE}findings/{finding.pk}/",
        f"{BASE}findings/add/",
        f"{BASE}idle-fund-warnings/",
        f"{BASE}idle-fund-warnings/scan/",
        f"{BASE}reports/",
        f"{BASE}reports/{made.pk}/",
        f"{BASE}reports/generate/",
        f"{BASE}review/",
        f"{BASE}review-notes/",
        f"{BASE}targets/{goal.pk}/reports/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert goal.indicator in client.get(f"{BASE}deviations/?on=2026-07-31").content.decode()
    for fmt in ("xlsx", "docx", "pdf"):
        response = client.get(f"{BASE}reports/{made.pk}/download.{fmt}")
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_a_refused_step_shows_its_reasons_and_changes_nothing(fr):
    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 11, 2))
    client = login(fr.bureau)
    response = client.post(f"{BASE}findings/{finding.pk}/close/", {"on": "2026-11-03", "note": ""})
    assert response.status_code == 409
    assert finding.due_on.isoformat() in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == "issued"
    response = login(fr.staff).post(f"{BASE}findings/{finding.pk}/respond/", {"on": "2026-11-03", "text": "已整改"})
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "responded"


def test_the_outsider_gets_404(fr):
    goal = target(fr.project, user=fr.staff, value="100")
    finding = issue(fr.project, user=fr.bureau, on=dt.date(2026, 11, 2))
    client = login(fr.outsider)
    for url in (f"{BASE}targets/{goal.pk}/", f"{BASE}findings/{finding.pk}/", f"{BASE}findings/{finding.pk}/respond/"):
        assert client.get(url).status_code == 404, url
