"""Monitoring pages: the live view and its HTMX panel, the alarm page's actions, the overview, the
set-point refusal on the sensor form, and the demo."""

import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jiceng.safety.monitoring import services
from jiceng.safety.monitoring.ingest import Ingestor
from jiceng.safety.monitoring.models import Alarm, MajorHazardSource, Sensor
from jiceng.safety.monitoring.tests.factories import make_sensor, make_shift, make_source, substance

pytestmark = pytest.mark.django_db


def excursion(sensor, values=(21, 22, 23)):
    start = timezone.now() - dt.timedelta(minutes=3)
    Ingestor().process(
        [
            (
                f"jiceng/readings/{sensor.code}",
                json.dumps({"ts": (start + dt.timedelta(seconds=i)).isoformat(), "value": v}).encode(),
            )
            for i, v in enumerate(values)
        ]
    )


def test_the_live_page_and_its_panel(safety_cast, client):
    area = safety_cast.area("燕店镇")
    source = make_source(area)
    sensor = make_sensor(area, source=source, level1=20, level2=40)
    shift = make_shift(area, source=source)
    excursion(sensor)
    client.force_login(safety_cast.township_viewer)
    page = client.get(reverse("safety_monitoring:source_live", args=[source.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 5s"' in html and sensor.code in html and str(shift.watcher) in html
    assert "data-chart-spec=" in html and "alarm" in html
    panel = client.get(reverse("safety_monitoring:source_live", args=[source.pk]), {"panel": 1})
    assert panel.status_code == 200 and "<html" not in panel.content.decode()
    assert 'id="live-panel"' in panel.content.decode()


def test_handling_an_alarm_from_its_page(safety_cast, client):
    sensor = make_sensor(safety_cast.area("燕店镇"), level1=20, level2=40)
    excursion(sensor)
    alarm = Alarm.objects.get(sensor=sensor)
    client.force_login(safety_cast.township_staff)
    detail = client.get(alarm.get_absolute_url()).content.decode()
    assert alarm.evidence_sha256 in detail and "23.0" in detail
    refused = client.post(reverse("safety_monitoring:alarm_close", args=[alarm.pk]))
    assert refused.status_code == 409 and "尚未恢复正常" in refused.content.decode()
    done = client.post(reverse("safety_monitoring:alarm_handle", args=[alarm.pk]), {"handling": "关阀，通风"})
    assert done.status_code == 302
    alarm.refresh_from_db()
    assert alarm.state == "handled" and alarm.handling == "关阀，通风"


def test_a_viewer_sees_no_actions_and_cannot_post_them(safety_cast, client):
    sensor = make_sensor(safety_cast.area("燕店镇"), level1=20, level2=40)
    excursion(sensor)
    alarm = Alarm.objects.get(sensor=sensor)
    client.force_login(safety_cast.township_viewer)
    assert (
        reverse("safety_monitoring:alarm_handle", args=[alarm.pk])
        not in client.get(alarm.get_absolute_url()).content.decode()
    )
    assert client.post(reverse("safety_monitoring:alarm_handle", args=[alarm.pk]), {"handling": "x"}).status_code == 404


def test_the_sensor_form_shows_the_refused_rule_and_saves_nothing(safety_cast, client):
    source = make_source(safety_cast.area("燕店镇"))
    client.force_login(safety_cast.township_staff)
    response = client.post(
        reverse("safety_monitoring:sensor_add"),
        {"code": "gt-form", "source": source.pk, "name": "x", "kind": "flammable_gas", "unit": "%LEL",
         "direction": "high", "level1": 30, "level2": 50, "range_min": 0, "range_max": 100, "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 409
    assert "GB/T 50493-2019" in response.content.decode()
    assert not Sensor.objects.filter(code="gt-form").exists()


def test_the_overview_counts_sources_and_open_alarms(safety_cast, client):
    area = safety_cast.area("燕店镇")
    source = make_source(area, population_500m=150)
    services.do_set_substance(source, substance=substance("氯"), quantity_t=Decimal("70"), acting_user=None)
    excursion(make_sensor(area, source=source, level1=20, level2=40))
    client.force_login(safety_cast.township_viewer)
    response = client.get(reverse("safety_monitoring:overview"))
    assert response.status_code == 200
    context = response.context
    assert context["sources"]["by_grade"][0] == (1, 1) and context["alarms"]["open_total"] == 1
    client.force_login(safety_cast.outsider)
    assert client.get(reverse("safety_monitoring:overview")).context["alarms"]["open_total"] == 0


@pytest.fixture
def built(db):
    from jiceng.demo import DemoContext

    ctx = DemoContext(scale=0.05, rng=random.Random(11))
    for label in ["directory", "accounts", "core.policies", "safety", "safety.monitoring"]:
        __import__(f"jiceng.{label}.demo", fromlist=["build"]).build(ctx)
    return ctx


def test_the_demo_has_graded_sources_live_sensors_and_alarms(built):
    from jiceng.directory.demo import scaled
    from jiceng.safety.monitoring import demo

    assert MajorHazardSource.objects.count() == scaled(demo.SOURCES, 0.05)
    assert not MajorHazardSource.objects.filter(grade__isnull=True).exists()
    for source in MajorHazardSource.objects.all():
        assert services.grade_of(source).grade == source.grade
        assert source.sensors.exists() and source.accountable.count() == 3
    assert Alarm.objects.filter(state="closed").exists() and Alarm.objects.exclude(state="closed").exists()
    assert not Sensor.objects.filter(state__last_ts__isnull=True).exists()


def test_the_demo_is_idempotent(built):
    from jiceng.safety.monitoring import demo

    counts = (MajorHazardSource.objects.count(), Sensor.objects.count(), Alarm.objects.count())
    demo.build(built)
    assert (MajorHazardSource.objects.count(), Sensor.objects.count(), Alarm.objects.count()) == counts


def test_filter_dropdowns_list_only_what_the_user_may_see(safety_cast, client, api):
    """A foreign-key filter's choices are scoped centrally (core.filters): the outsider's alarm list
    does not name the township's source, and the API refuses its id as a filter value."""
    mine = make_source(safety_cast.area("燕店镇"), name="燕店镇内部罐区")
    theirs = make_source(safety_cast.area("古云镇"), name="古云镇内部罐区")
    client.force_login(safety_cast.outsider)
    html = client.get(reverse("safety_monitoring:alarm_list")).content.decode()
    assert "古云镇内部罐区" in html and "燕店镇内部罐区" not in html
    response = api(safety_cast.outsider).get("/api/v1/safety/alarms/", {"source": mine.pk})
    assert response.status_code == 400
    assert api(safety_cast.outsider).get("/api/v1/safety/alarms/", {"source": theirs.pk}).status_code == 200
