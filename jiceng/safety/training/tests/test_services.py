"""The rules of training, exams, spot tests, certificate checks, publicity and campaigns, each on both
sides of its edge, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jiceng.core.alerts.models import Alert
from jiceng.core.dates import add_months
from jiceng.core.errors import InvalidInput
from jiceng.core.policies.services import do_create_policy, get_policy
from jiceng.directory.tests.factories import make_person
from jiceng.safety.testing import make_enterprise
from jiceng.safety.training import rules, services
from jiceng.safety.training.models import CertificateResult, SpotTest
from jiceng.safety.training.tests.factories import supervised

D = dt.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def township(safety_cast):
    return safety_cast.area("燕店镇")


@pytest.fixture
def staff(safety_cast):
    return safety_cast.township_staff


@pytest.fixture
def enterprise(township):
    return supervised(township, employees=50)


JANUARY_1, MARCH_31 = D(2026, 1, 1), D(2026, 3, 31)


def campaign(staff, starts=JANUARY_1, ends=MARCH_31, **kwargs):
    return services.do_create_campaign(
        data={
            "name": kwargs.pop("name", "大学习大培训大考试"),
            "kind": "training",
            "starts_on": starts,
            "ends_on": ends,
        },
        acting_user=staff,
    )


def training(enterprise, staff, **data):
    base = {"enterprise": enterprise, "held_on": D(2026, 3, 2), "topic": "全员安全培训", "kind": "all_staff"}
    return services.do_create_training(data={**base, **data}, acting_user=staff)


class TestTraining:
    def test_an_enterprise_without_a_safety_profile_is_refused(self, township, staff):
        with pytest.raises(InvalidInput) as refused:
            training(make_enterprise(township), staff, participants=5)
        assert refused.value.field == "enterprise"

    def test_today_is_accepted_tomorrow_is_refused(self, enterprise, staff):
        assert training(enterprise, staff, participants=5, held_on=TODAY).held_on == TODAY
        with pytest.raises(InvalidInput) as refused:
            training(enterprise, staff, participants=5, held_on=TODAY + dt.timedelta(days=1))
        assert refused.value.field == "held_on"

    def test_the_campaign_period_includes_its_last_day_only(self, enterprise, staff):
        drive = campaign(staff)
        assert training(enterprise, staff, participants=5, campaign=drive, held_on=drive.ends_on).campaign == drive
        with pytest.raises(InvalidInput):
            training(enterprise, staff, participants=5, campaign=drive, held_on=drive.ends_on + dt.timedelta(days=1))

    def test_participants_are_at_least_the_named_attendees(self, enterprise, township, staff):
        people = [make_person(township) for _ in range(3)]
        assert training(enterprise, staff, participants=3, attendees=people).participants == 3
        assert training(enterprise, staff, participants=0, attendees=people).participants == 3  # counted
        with pytest.raises(InvalidInput) as refused:
            training(enterprise, staff, participants=2, attendees=people)
        assert refused.value.field == "participants"

    def test_a_session_stays_with_its_enterprise(self, enterprise, township, staff):
        session = training(enterprise, staff, participants=5)
        with pytest.raises(InvalidInput):
            services.do_update_training(session, data={"enterprise": supervised(township)}, acting_user=staff)
        assert services.do_update_training(session, data={"participants": 7}, acting_user=staff).participants == 7


class TestExam:
    def exam(self, enterprise, staff, **data):
        base = {"enterprise": enterprise, "held_on": D(2026, 3, 2), "title": "考试", "candidates": 20}
        return services.do_create_exam(data={**base, **data}, acting_user=staff)

    def test_no_more_pass_than_sat(self, enterprise, staff):
        assert self.exam(enterprise, staff, passed=20).pass_rate == 100
        with pytest.raises(InvalidInput) as refused:
            self.exam(enterprise, staff, passed=21)
        assert refused.value.field == "passed"

    def test_the_pass_rate_is_computed_from_the_counts(self, enterprise, staff):
        assert self.exam(enterprise, staff, candidates=8, passed=7).pass_rate == Decimal("87.5")

    def test_the_session_must_be_the_enterprises(self, enterprise, township, staff):
        other = training(supervised(township), staff, participants=4)
        with pytest.raises(InvalidInput) as refused:
            self.exam(enterprise, staff, passed=1, session=other)
        assert refused.value.field == "session"
        own = training(enterprise, staff, participants=4)
        assert self.exam(enterprise, staff, passed=1, session=own).session == own


class TestSpotTest:
    def spot(self, enterprise, staff, **data):
        base = {"enterprise": enterprise, "tested_on": D(2026, 3, 2), "officer": "执法人员"}
        return services.do_create_spot_test(data={**base, **data}, acting_user=staff)

    def result(self, test, township, staff, score):
        return services.do_record_result(
            data={"spot_test": test, "employee": make_person(township), "score": Decimal(score)}, acting_user=staff
        )

    def test_the_pass_mark_is_the_policy_of_the_test_day(self, enterprise, staff):
        test = self.spot(enterprise, staff)
        assert test.pass_mark == get_policy(rules.PASS_MARK, area_path=enterprise.area.path, on=test.tested_on).value

    def test_a_score_at_the_mark_passes_just_below_fails(self, enterprise, township, staff):
        test = self.spot(enterprise, staff)
        mark = test.pass_mark
        assert self.result(test, township, staff, mark).passed is True
        assert self.result(test, township, staff, mark - Decimal("0.5")).passed is False
        test.refresh_from_db()
        assert (test.tested, test.passed, test.pass_rate) == (2, 1, Decimal("50.0"))

    def test_a_local_pass_mark_applies_from_its_start(self, enterprise, township, staff):
        mark = get_policy(rules.PASS_MARK, area_path=township.path).value
        do_create_policy(
            data={
                "key": rules.PASS_MARK,
                "name": "抽测合格分数线（本镇）",
                "value_type": "integer",
                "value": str(mark + 10),
                "unit": "分",
                "area_code": township.code,
                "area_path": township.path,
                "effective_from": D(2026, 4, 1),
                "source_document": "燕店镇安全培训抽测办法",
                "source_status": "local",
            },
            acting_user=None,
        )
        before = self.spot(enterprise, staff, tested_on=D(2026, 3, 31))
        after = self.spot(enterprise, staff, tested_on=D(2026, 4, 1))
        assert (before.pass_mark, after.pass_mark) == (mark, mark + 10)
        result = self.result(before, township, staff, mark)
        assert result.passed is True
        # moving the test into the local rule's period re-marks its results
        moved = services.do_update_spot_test(before, data={"tested_on": D(2026, 4, 2)}, acting_user=staff)
        result.refresh_from_db()
        assert moved.pass_mark == mark + 10 and result.passed is False
        assert (moved.tested, moved.passed) == (1, 0)

    def test_counts_and_results_do_not_mix(self, enterprise, township, staff):
        counted = self.spot(enterprise, staff, tested=10, passed=10)
        with pytest.raises(InvalidInput):
            self.result(counted, township, staff, 90)
        with pytest.raises(InvalidInput) as refused:
            self.spot(enterprise, staff, tested=10, passed=11)
        assert refused.value.field == "passed"
        scored = self.spot(enterprise, staff)
        self.result(scored, township, staff, 90)
        with pytest.raises(InvalidInput):
            services.do_update_spot_test(SpotTest.objects.get(pk=scored.pk), data={"tested": 5}, acting_user=staff)

    def test_correcting_and_deleting_a_result_recounts(self, enterprise, township, staff):
        test = self.spot(enterprise, staff)
        result = self.result(test, township, staff, test.pass_mark - 1)
        services.do_update_result(result, data={"score": test.pass_mark}, acting_user=staff)
        test.refresh_from_db()
        assert (test.tested, test.passed) == (1, 1)
        services.do_delete_result(result, acting_user=staff)
        test.refresh_from_db()
        assert (test.tested, test.passed) == (0, 0)


class TestCertificateCheck:
    def check(self, enterprise, staff, **data):
        base = {
            "enterprise": enterprise,
            "checked_on": D(2026, 3, 2),
            "inspector": "执法人员",
            "holder_name": "李四",
            "kind": "special_operation",
            "certificate_number": "T371522198001010011",
            "issuing_authority": "聊城市应急管理局",
        }
        return services.do_create_certificate_check(data={**base, **data}, acting_user=staff)

    def open_alerts(self, check):
        from django.contrib.contenttypes.models import ContentType

        return Alert.objects.filter(
            content_type=ContentType.objects.get_for_model(check), object_id=str(check.pk)
        ).exclude(state="closed")

    def test_the_holders_resident_id_is_validated(self, enterprise, staff):
        with pytest.raises(ValidationError) as refused:
            self.check(enterprise, staff, valid_until=D(2027, 1, 1), holder_id_number="371522198001010012")
        assert "holder_id_number" in refused.value.error_dict
        person = make_person(enterprise.area)
        good = self.check(enterprise, staff, valid_until=D(2027, 1, 1), holder_id_number=person.id_number.lower())
        assert good.holder_id_number == person.id_number and good.result == CertificateResult.VALID

    def test_valid_until_follows_the_validity_policy(self, enterprise, staff):
        issued = D(2021, 5, 10)
        months = rules.certificate_validity("special_operation", enterprise.area.path, issued).value
        check = self.check(enterprise, staff, issued_on=issued)
        assert check.valid_until == add_months(issued, months)
        with pytest.raises(InvalidInput) as refused:
            self.check(enterprise, staff)
        assert refused.value.field == "valid_until"

    def test_valid_on_its_last_day_expired_the_day_after_with_one_alert(self, enterprise, staff):
        until = D(2026, 3, 1)
        on_time = self.check(enterprise, staff, valid_until=until, checked_on=until)
        assert on_time.result == CertificateResult.VALID and not self.open_alerts(on_time).exists()
        late = self.check(enterprise, staff, valid_until=until, checked_on=until + dt.timedelta(days=3))
        assert late.result == CertificateResult.EXPIRED
        alert = self.open_alerts(late).get()
        validity = rules.certificate_validity("special_operation", enterprise.area.path, late.checked_on)
        assert alert.rule == "safety.certificate_expired" and alert.severity == "yellow"
        assert "2026-03-01" in alert.explanation and "3" in alert.explanation and validity.cite() in alert.explanation
        # saved again: still one alert (one open per rule and check)
        services.do_update_certificate_check(late, data={"notes": "已责令停止作业"}, acting_user=staff)
        assert self.open_alerts(late).count() == 1

    def test_a_later_valid_check_of_the_holder_closes_the_expiry_alert(self, enterprise, staff):
        person = make_person(enterprise.area)
        late = self.check(enterprise, staff, valid_until=D(2026, 1, 1), holder=person)
        assert self.open_alerts(late).count() == 1
        self.check(
            enterprise,
            staff,
            holder=person,
            certificate_number="T-NEW-2026",
            valid_until=D(2032, 3, 9),
            checked_on=D(2026, 3, 9),
        )
        assert not self.open_alerts(late).exists()

    def test_forged_raises_and_a_correction_resolves(self, enterprise, staff):
        forged = self.check(enterprise, staff, valid_until=D(2027, 1, 1), found_in_register=False)
        alert = self.open_alerts(forged).get()
        assert forged.result == CertificateResult.FORGED
        assert alert.rule == "safety.certificate_forged" and "T371522198001010011" in alert.explanation
        services.do_update_certificate_check(forged, data={"found_in_register": True}, acting_user=staff)
        assert not self.open_alerts(forged).exists()
        assert Alert.objects.get(pk=alert.pk).state == "closed"

    def test_a_different_id_number_is_a_holder_mismatch(self, enterprise, staff):
        person = make_person(enterprise.area)
        other = make_person(enterprise.area)
        same = self.check(
            enterprise, staff, valid_until=D(2027, 1, 1), holder=person, holder_id_number=person.id_number
        )
        assert same.result == CertificateResult.VALID
        borrowed = self.check(
            enterprise, staff, valid_until=D(2027, 1, 1), holder=person, holder_id_number=other.id_number
        )
        assert borrowed.result == CertificateResult.HOLDER_MISMATCH and borrowed.holder_matches is False
        alert = self.open_alerts(borrowed).get()
        assert alert.rule == "safety.certificate_holder_mismatch"
        assert other.id_number not in alert.explanation  # masked: alerts go by email

    def test_deleting_a_check_resolves_its_alert(self, enterprise, staff):
        forged = self.check(enterprise, staff, valid_until=D(2027, 1, 1), found_in_register=False)
        alert = self.open_alerts(forged).get()
        services.do_delete_certificate_check(forged, acting_user=staff)
        assert Alert.objects.get(pk=alert.pk).state == "closed"


class TestPublicity:
    def activity(self, staff, **data):
        base = {"target": "village", "held_on": D(2026, 3, 2), "title": "安全宣传进农村", "participants": 40}
        return services.do_create_publicity(data={**base, **data}, acting_user=staff)

    def test_an_enterprise_only_for_the_enterprise_target(self, township, enterprise, staff):
        with pytest.raises(InvalidInput) as refused:
            self.activity(staff, area=township, enterprise=enterprise)
        assert refused.value.field == "enterprise"
        done = self.activity(staff, target="enterprise", enterprise=enterprise)
        assert done.area == enterprise.area  # taken from the enterprise

    def test_the_enterprise_must_lie_in_the_area(self, safety_cast, enterprise, staff):
        with pytest.raises(InvalidInput):
            self.activity(staff, target="enterprise", area=safety_cast.area("东村"), enterprise=enterprise)

    def test_outside_ones_area_nothing_is_written(self, safety_cast, staff):
        from jiceng.core.errors import OutOfScope

        with pytest.raises(OutOfScope):
            self.activity(staff, area=safety_cast.area("古云镇"))


class TestCampaign:
    def test_a_period_may_not_shrink_past_its_rows(self, enterprise, staff):
        drive = campaign(staff)
        training(enterprise, staff, participants=5, campaign=drive, held_on=D(2026, 3, 2))
        with pytest.raises(InvalidInput):
            services.do_update_campaign(drive, data={"ends_on": D(2026, 3, 1)}, acting_user=staff)
        assert services.do_update_campaign(drive, data={"ends_on": D(2026, 3, 2)}, acting_user=staff).ends_on == D(
            2026, 3, 2
        )
        with pytest.raises(InvalidInput):
            campaign(staff, name="另一个", starts=D(2026, 3, 2), ends=D(2026, 3, 1))

    def test_a_campaign_with_rows_is_not_deleted(self, enterprise, staff):
        from jiceng.safety.training.models import TrainingCampaign

        drive = campaign(staff)
        training(enterprise, staff, participants=5, campaign=drive, held_on=D(2026, 3, 2))
        with pytest.raises(InvalidInput):
            services.do_delete_installation_row(drive, acting_user=staff)
        empty = campaign(staff, name="空的")
        services.do_delete_installation_row(empty, acting_user=staff)
        assert list(TrainingCampaign.objects.values_list("name", flat=True)) == [drive.name]
