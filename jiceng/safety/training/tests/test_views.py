"""Pages render with their content for the township and stay closed to the sibling township."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiceng.directory.tests.factories import make_person
from jiceng.safety.training import services
from jiceng.safety.training.models import Broadcast, BroadcastState, SpotTestResult
from jiceng.safety.training.tests.factories import supervised

D = dt.date
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def ledger(safety_cast):
    """An enterprise of 东村 with a session, an exam, a spot test with a score and a forged certificate."""
    staff = safety_cast.township_staff
    enterprise = supervised(safety_cast.area("东村"), employees=40)
    services.do_create_training(
        data={"enterprise": enterprise, "held_on": D(2026, 3, 2), "topic": "有限空间作业专题培训", "participants": 30},
        acting_user=staff,
    )
    services.do_create_exam(
        data={"enterprise": enterprise, "held_on": D(2026, 3, 3), "title": "岗位考试", "candidates": 30, "passed": 27},
        acting_user=staff,
    )
    test = services.do_create_spot_test(
        data={"enterprise": enterprise, "tested_on": D(2026, 3, 4), "officer": "执法人员甲"}, acting_user=staff
    )
    employee = make_person(safety_cast.area("东村"), name="赵六")
    services.do_record_result(data={"spot_test": test, "employee": employee, "score": 95}, acting_user=staff)
    holder = make_person(safety_cast.area("东村"), name="钱七")
    check = services.do_create_certificate_check(
        data={
            "enterprise": enterprise,
            "checked_on": D(2026, 3, 5),
            "inspector": "执法人员甲",
            "holder_name": "钱七",
            "holder_id_number": holder.id_number,
            "kind": "special_operation",
            "certificate_number": "T-FAKE-001",
            "issuing_authority": "聊城市应急管理局",
            "valid_until": D(2027, 1, 1),
            "found_in_register": False,
        },
        acting_user=staff,
    )
    return {"enterprise": enterprise, "test": test, "check": check, "holder": holder}


def login(client, user):
    client.force_login(user)
    return client


class TestOverview:
    def test_figures_for_the_township_and_its_villages(self, client, safety_cast, ledger):
        page = login(client, safety_cast.township_staff).get(reverse("safety_training:overview"))
        assert page.status_code == 200
        text = page.content.decode()
        assert "燕店镇" in text and "东村" in text and "chart-safety-training" in text
        assert ">30<" in text  # the workers trained in 东村
        drilled = client.get(reverse("safety_training:overview"), {"area": safety_cast.area("东村").code})
        assert drilled.status_code == 200 and "东村" in drilled.content.decode()

    def test_a_bad_date_is_a_400_with_the_reason(self, client, safety_cast):
        page = login(client, safety_cast.township_staff).get(
            reverse("safety_training:overview"), {"from": "2026-13-01"}
        )
        assert page.status_code == 400 and "YYYY-MM-DD" in page.content.decode()

    def test_the_outsider_sees_its_own_township_not_ours(self, client, safety_cast, ledger):
        page = login(client, safety_cast.outsider).get(
            reverse("safety_training:overview"), {"area": safety_cast.area("东村").code}
        )
        text = page.content.decode()
        assert page.status_code == 200 and "古云镇" in text and "东村" not in text

    def test_anonymous_is_sent_to_log_in(self, client):
        assert client.get(reverse("safety_training:overview")).status_code == 302


class TestLedger:
    def test_the_enterprise_ledger(self, client, safety_cast, ledger):
        profile = ledger["enterprise"].safety_profile
        page = login(client, safety_cast.township_staff).get(reverse("safety_training:ledger", args=[profile.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        assert "有限空间作业专题培训" in text and "岗位考试" in text and "执法人员甲" in text and "钱七" in text
        assert "75.0%" in text  # 30 of 40 employees

    def test_outside_the_area_it_does_not_exist(self, client, safety_cast, ledger):
        profile = ledger["enterprise"].safety_profile
        page = login(client, safety_cast.outsider).get(reverse("safety_training:ledger", args=[profile.pk]))
        assert page.status_code == 404


class TestModelPages:
    @pytest.mark.parametrize(
        "name",
        [
            "trainingsession",
            "exam",
            "spottest",
            "spottestresult",
            "certificatecheck",
            "publicityactivity",
            "broadcast",
            "publicservicead",
            "trainingcampaign",
        ],
    )
    def test_every_list_and_add_page_renders(self, client, safety_cast, ledger, name):
        login(client, safety_cast.township_staff)
        assert client.get(reverse(f"safety_training:{name}_list")).status_code == 200
        assert client.get(reverse(f"safety_training:{name}_add")).status_code == 200

    def test_the_spot_test_page_lists_scores_and_the_pass_rate(self, client, safety_cast, ledger):
        page = login(client, safety_cast.township_staff).get(
            reverse("safety_training:spottest_detail", args=[ledger["test"].pk])
        )
        text = page.content.decode()
        assert page.status_code == 200 and "赵六" in text and "100.0%" in text

    def test_the_certificate_page_shows_the_alert_and_masks_the_id_for_viewers(self, client, safety_cast, ledger):
        url = reverse("safety_training:certificatecheck_detail", args=[ledger["check"].pk])
        number = ledger["holder"].id_number
        staff_page = login(client, safety_cast.township_staff).get(url).content.decode()
        assert "safety.certificate_forged" in staff_page and number in staff_page
        viewer_page = login(client, safety_cast.township_viewer).get(url).content.decode()
        assert "safety.certificate_forged" in viewer_page and number not in viewer_page
        assert number[:4] + "*" in viewer_page

    def test_recording_a_score_by_resident_id(self, client, safety_cast):
        staff = safety_cast.township_staff
        enterprise = supervised(safety_cast.area("东村"))
        test = services.do_create_spot_test(
            data={"enterprise": enterprise, "tested_on": D(2026, 3, 4), "officer": "执法人员乙"}, acting_user=staff
        )
        person = make_person(safety_cast.area("东村"))
        login(client, staff)
        url = reverse("safety_training:spottestresult_add")
        unknown = client.post(url, {"spot_test": test.pk, "score": "88", "employee_id_number": "11010519491231002X"})
        assert unknown.status_code == 400 and not SpotTestResult.objects.exists()
        done = client.post(url, {"spot_test": test.pk, "score": "88", "employee_id_number": person.id_number})
        assert done.status_code == 302
        assert SpotTestResult.objects.get().employee == person

    def test_sending_and_withdrawing_a_broadcast_from_the_pages(self, client, safety_cast):
        login(client, safety_cast.township_staff)
        sent = client.post(
            reverse("safety_training:broadcast_add"),
            {
                "area": safety_cast.area("燕店镇").pk,
                "title": "防汛提示",
                "message": "注意防范强降雨",
                "severity": "yellow",
                "ends_at": "2026-06-17T18:00",
            },
        )
        assert sent.status_code == 302
        broadcast = Broadcast.objects.get()
        assert broadcast.state == BroadcastState.LIVE
        detail = client.get(reverse("safety_training:broadcast_detail", args=[broadcast.pk])).content.decode()
        assert (
            "注意防范强降雨" in detail and reverse("safety_training:broadcast_withdraw", args=[broadcast.pk]) in detail
        )
        client.post(reverse("safety_training:broadcast_withdraw", args=[broadcast.pk]), {"comment": "解除"})
        broadcast.refresh_from_db()
        assert broadcast.state == BroadcastState.WITHDRAWN
        outsider = login(client, safety_cast.outsider)
        assert outsider.post(reverse("safety_training:broadcast_withdraw", args=[broadcast.pk])).status_code == 404

    def test_an_ad_picture_is_checked_stored_and_served(self, client, safety_cast, settings):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        }
        staff = safety_cast.township_staff
        ad = services.do_create_ad(data={"title": "标语", "text": "安全生产 是民生大事"}, acting_user=staff)
        login(client, staff)
        url = reverse("safety_training:ad_image", args=[ad.pk])
        client.post(url, {"image": SimpleUploadedFile("x.png", b"not a picture", content_type="image/png")})
        ad.refresh_from_db()
        assert ad.image == ""
        client.post(url, {"image": SimpleUploadedFile("slogan.png", PNG, content_type="image/png")})
        ad.refresh_from_db()
        assert ad.image.endswith(".png")
        served = client.get(url)
        assert served.status_code == 200 and served["Content-Type"] == "image/png"
        assert b"".join(served.streaming_content) == PNG
        page = client.get(reverse("safety_training:publicservicead_detail", args=[ad.pk])).content.decode()
        assert url in page


def test_the_dashboard_widget_and_the_menu(client, safety_cast, ledger):
    page = login(client, safety_cast.township_staff).get(reverse("home"))
    text = page.content.decode()
    assert page.status_code == 200
    assert reverse("safety_training:overview") in text  # the widget's link and the menu entry
    assert reverse("safety_training:broadcast_list") in text
    assert ">30<" in text  # the widget's workers trained
