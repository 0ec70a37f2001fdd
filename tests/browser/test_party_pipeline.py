"""Real browser: a branch secretary moves an activist to development candidate.

The first attempt is dated one day before the activist's year is up: the page shows the
refusal with the rule, the numbers and the source, and nothing changes. Dated on the
anniversary, the same step goes through and the member page shows the new stage.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_browser import browser, new_page, sign_in  # noqa: F401  (fixture and helpers)

pytestmark = pytest.mark.browser


@pytest.fixture
def activist(transactional_db):
    from django.utils import timezone

    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.party.members.models import ActivistReview, Mentor
    from jiceng.party.members.rules import add_months
    from jiceng.party.testing import PARTY_ROLES, make_member, make_org, make_person

    cast = build_cast(extra_roles=PARTY_ROLES)
    load_seed_policies()
    branch = make_org(cast.area("东村"), name="东村党支部")
    since = add_months(timezone.localdate(), -13)
    member = make_member(
        branch,
        stage="activist",
        person=make_person(cast.area("东村"), birth="19960508", name="刘晓光"),
        applied_on=add_months(since, -7),
        activist_on=since,
    )
    Mentor.objects.create(member=member, mentor=make_member(branch), assigned_on=since)
    for months in (6, 12):
        ActivistReview.objects.create(
            member=member, reviewed_on=add_months(since, months) - dt.timedelta(days=2), conclusion="合格"
        )
    return member


def test_secretary_moves_an_activist_to_candidate_once_the_year_is_up(browser, live_server, activist):  # noqa: F811
    from jiceng.party.members.rules import add_months

    anniversary = add_months(activist.activist_on, 12)
    page, watch = new_page(browser, live_server.url)
    sign_in(page, "village_staff")

    page.goto(f"/party/members/{activist.pk}/")
    assert "刘晓光" in page.locator("h1").inner_text()
    page.locator("#next-step a.button").click()
    page.wait_for_url(f"**/party/members/{activist.pk}/transition/")

    page.select_option("#id_to", "candidate")
    page.fill("#id_on", (anniversary - dt.timedelta(days=1)).isoformat())
    page.locator("form.form button[type=submit]").click()
    refusal = page.locator("#refusal")
    refusal.wait_for()
    text = refusal.inner_text()
    assert "第十三条" in text  # the source: 《中国共产党发展党员工作细则》
    assert "培养教育和考察" in text  # the refusal is in Chinese
    assert activist.activist_on.isoformat() in text and anniversary.isoformat() in text
    assert "11" in text and "12" in text  # months served, months required
    activist.refresh_from_db()
    assert activist.stage == "activist" and activist.candidate_on is None

    page.select_option("#id_to", "candidate")
    page.fill("#id_on", anniversary.isoformat())
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/party/members/{activist.pk}/")
    activist.refresh_from_db()
    assert activist.stage == "candidate" and activist.candidate_on == anniversary
    assert activist.get_stage_display() in page.locator(".details").inner_text()
    watch.assert_clean()
