"""Real browser: a township safety officer watches a major hazard source live and handles an alarm.

The live panel refreshes itself (HTMX, every 5 s): a reading stored meanwhile appears without a
reload and the trend charts are drawn again after the swap. On the alarm's page, closing it is
refused with its reasons while the reading is still beyond the set-point; recording the handling
is accepted.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.browser.test_browser import browser, new_page, sign_in  # noqa: F401  (fixture and helpers)

pytestmark = pytest.mark.browser


def readings(sensor, values, start):
    return [
        (
            f"jiceng/readings/{sensor.code}",
            json.dumps({"ts": (start + dt.timedelta(seconds=i)).isoformat(), "value": v}).encode(),
        )
        for i, v in enumerate(values)
    ]


@pytest.fixture
def plant(transactional_db):
    from django.utils import timezone

    from jiceng.core.testing import build_cast, load_seed_policies
    from jiceng.safety.monitoring.ingest import Ingestor
    from jiceng.safety.monitoring.tests.factories import make_sensor, make_source
    from jiceng.safety.testing import SAFETY_ROLES

    cast = build_cast(extra_roles=SAFETY_ROLES)
    load_seed_policies()
    source = make_source(cast.area("燕店镇"), name="3#液化石油气罐区")
    calm = make_sensor(
        cast.area("燕店镇"), source=source, code="lpg-gt1", name="1#可燃气体探测器", level1=20, level2=40
    )
    leaking = make_sensor(
        cast.area("燕店镇"), source=source, code="lpg-gt2", name="2#可燃气体探测器", level1=20, level2=40
    )
    start = timezone.now() - dt.timedelta(minutes=2)
    Ingestor().process(readings(calm, [3.1, 3.4, 2.9, 3.3], start) + readings(leaking, [4, 5, 23.5, 24.8, 26.2], start))
    return {"source": source, "calm": calm, "leaking": leaking, "ingestor": Ingestor()}


def test_the_live_page_refreshes_and_the_alarm_is_handled(browser, live_server, plant):  # noqa: F811
    from django.utils import timezone

    from jiceng.safety.monitoring.models import Alarm

    source, calm = plant["source"], plant["calm"]
    page, watch = new_page(browser, live_server.url)
    sign_in(page, "township_staff")
    page.goto(f"/safety/monitoring/sources/{source.pk}/live/")
    panel = page.locator("#live-panel")
    assert "lpg-gt2" in panel.inner_text() and "报警中" in panel.inner_text()
    charts = page.locator("[data-chart-spec] svg")  # locators, not eval: the CSP forbids it
    charts.nth(1).wait_for()

    plant["ingestor"].process(readings(calm, [7.25], timezone.now()))
    page.locator("#live-panel", has_text="7.25").wait_for(timeout=15000)
    # the swapped-in panel drew its charts again
    charts.nth(1).wait_for(timeout=5000)
    assert charts.count() == 2

    alarm = Alarm.objects.get(sensor=plant["leaking"])
    page.goto(f"/safety/monitoring/alarms/{alarm.pk}/")
    assert alarm.evidence_sha256 in page.content()
    page.locator("form[action$='/close/'] button").click()
    assert "尚未恢复正常" in page.locator(".card").inner_text()
    alarm.refresh_from_db()
    assert alarm.state == "active"

    page.goto(f"/safety/monitoring/alarms/{alarm.pk}/")
    page.fill("#handling", "关闭罐区进料阀，加强通风，现场复测")
    page.locator("form[action$='/handle/'] button").click()
    page.wait_for_url(f"**/safety/monitoring/alarms/{alarm.pk}/")
    assert "已处置" in page.locator(".details").first.inner_text()
    alarm.refresh_from_db()
    assert alarm.state == "handled" and alarm.handled_at is not None
    watch.assert_clean()
