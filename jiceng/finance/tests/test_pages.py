"""The pages: project list with filters, project page with the figures on a chosen date, watch list,
flags, key marks, the row forms (400 and nothing written on bad input), 404 for the outsider."""

import datetime as dt

import pytest
from django.test import Client

from jiceng.core.testing import PASSWORD
from jiceng.finance.models import Spending
from jiceng.finance.testing import add_spending, make_key_mark, make_project, make_unit

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def test_project_pages_show_the_figures(finance_cast):
    project = make_project(make_unit(finance_cast.area("莘县"), name="县水利局"), budget="1000000", major=True)
    add_spending(project, dt.date(2026, 5, 1), "120000")
    make_key_mark(project, findings=True)
    c = login(finance_cast.county_admin)
    page = c.get(f"/finance/projects/{project.pk}/", {"on": "2026-07-31"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "58.3" in text and "12.0" in text and "46.3" in text
    assert 'data-chart="chart-project-spending"' in text and "<script>" not in text
    assert c.get("/finance/projects/", {"year": 2026, "monitored": "true", "key": "true"}).status_code == 200
    listed = c.get("/finance/watchlist/", {"on": "2026-07-31"})
    assert listed.status_code == 200 and project.name in listed.content.decode()
    assert c.get("/finance/flags/", {"on": "2026-07-31"}).status_code == 200
    assert project.name in c.get("/finance/key-marks/").content.decode()
    assert c.get("/").status_code == 200  # the dashboard widget renders


def test_spending_form_bad_input_writes_nothing(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    c = login(finance_cast.township_staff)
    url = f"/finance/projects/{project.pk}/add/spending/"
    assert c.get(url).status_code == 200
    assert c.post(url, {"on": "2025-05-01", "amount": "10"}).status_code == 400
    assert c.post(url, {"on": "2026-05-01", "amount": "-10"}).status_code == 400
    assert not Spending.objects.exists()
    assert c.post(url, {"on": "2026-05-01", "amount": "10"}).status_code == 302
    assert Spending.objects.count() == 1


def test_outsider_gets_404_on_pages(finance_cast):
    project = make_project(finance_cast.area("燕店镇"))
    c = login(finance_cast.outsider)
    assert c.get(f"/finance/projects/{project.pk}/").status_code == 404
    assert c.get(f"/finance/projects/{project.pk}/add/spending/").status_code == 404
