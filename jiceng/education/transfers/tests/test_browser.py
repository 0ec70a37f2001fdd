"""Real browser: a school administrator applies for a transfer into a class at the cap and reads the
refusal with its rule, numbers and source on the page; nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_browser import browser, new_page, sign_in  # noqa: F401  (fixture and helpers)

pytestmark = pytest.mark.browser

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def full_class(transactional_db):
    from jiceng.core.policies.services import get_policy
    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.education import sizes
    from jiceng.education.testing import (
        EDUCATION_ROLES,
        fill_class,
        make_class,
        make_school,
        make_school_year,
        make_student,
    )

    cast = build_cast(extra_roles=EDUCATION_ROLES)
    load_seed_policies()
    township = cast.area("燕店镇")
    year = make_school_year(cast.area("莘县"), 2026)
    target = make_class(make_school(township, name="燕店镇实验小学"), grade=3)
    cap = get_policy(sizes.CAP, area_path=township.path, on=year.starts_on)
    fill_class(target, cap.value)
    pupil = make_student(make_class(make_school(township, name="燕店镇中心小学"), grade=3))
    return {"target": target, "pupil": pupil, "cap": cap, "day": year.starts_on + dt.timedelta(days=3)}


def test_a_transfer_into_a_full_class_is_refused_with_its_reason(browser, live_server, full_class):  # noqa: F811
    import time_machine

    from jiceng.core.models import AuditEntry
    from jiceng.education.transfers.models import Transfer

    day = full_class["day"]
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI), tick=True):
        page, watch = new_page(browser, live_server.url)
        sign_in(page, "township_staff")
        before = (Transfer.objects.count(), AuditEntry.objects.count())
        page.goto("/education/transfers/transfers/apply/")
        page.select_option("#id_student", str(full_class["pupil"].pk))
        page.select_option("#id_to_class", str(full_class["target"].pk))
        page.fill("#id_on", day.isoformat())
        page.locator("form.edit-form button[type=submit]").click()
        refusal = page.locator("#refusal")
        refusal.wait_for()
        text = refusal.inner_text()
        cap = full_class["cap"]
        assert str(cap.value) in text and str(cap.value + 1) in text  # the rule's numbers
        assert cap.cite() in text  # its source
        assert (Transfer.objects.count(), AuditEntry.objects.count()) == before
        watch.assert_clean()
