"""The rectification rules on both sides of each edge, through the services."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiceng.core.dates import add_months
from jiceng.core.deadlines.calendar import add_workdays
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.core.policies.services import do_create_policy, get_policy
from jiceng.core.workflow.models import TransitionLog
from jiceng.safety.hazards import rules, services
from jiceng.safety.hazards.choices import FIVE_ELEMENTS
from jiceng.safety.hazards.models import Hazard, Verification
from jiceng.safety.hazards.services import GuardFailed
from jiceng.safety.hazards.tests.factories import make_campaign
from jiceng.safety.hazards.tests.helpers import (
    FULL_PLAN,
    TODAY,
    accepted,
    enterprise,
    major_with_plan,
    report,
    reporter,
    submitted,
)

pytestmark = pytest.mark.django_db
D = dt.date


def logs(hazard):
    return TransitionLog.objects.filter(object_id=str(hazard.pk), content_type__model="hazard")


def general_workdays(hazard, on):
    return get_policy(rules.GENERAL_WORKDAYS, area_path=hazard.area.path, on=on).value


# --- accept: ordinary deadlines ------------------------------------------------------------
class TestOrdinaryDeadline:
    def test_the_default_deadline_counts_chinese_workdays_across_national_day(self, hz):
        # 2026-10-01…07 are holidays and Saturday 2026-10-10 is a make-up workday (国务院办公厅 2026 安排)
        on = D(2026, 9, 30)
        hazard = accepted(hz.company, user=hz.staff, on=on)
        workdays = general_workdays(hazard, on)
        assert hazard.status == "rectifying"
        assert hazard.due_on == add_workdays(on, workdays)
        assert hazard.due_workdays == workdays
        # ten workdays: 8, 9, 10 (Saturday, worked), 12–16, 19, 20 October
        assert (workdays, hazard.due_on) == (10, D(2026, 10, 20))
        naive = on
        for _ in range(workdays):
            naive += dt.timedelta(days=1)
            while naive.weekday() >= 5:
                naive += dt.timedelta(days=1)
        assert naive != hazard.due_on  # a Monday–Friday count would be wrong
        assert hazard.due_at is not None and hazard.warn_at < hazard.due_at < hazard.escalate_at

    def test_a_deadline_at_the_limit_is_accepted(self, hz):
        hazard = report(hz.company, user=hz.staff, found_on=TODAY)
        limit = add_workdays(TODAY, general_workdays(hazard, TODAY))
        moved = services.do_transition(hazard, to="rectifying", on=TODAY, due_on=limit, acting_user=hz.staff)
        assert moved.due_on == limit

    def test_a_deadline_one_day_past_the_limit_is_refused_and_nothing_is_written(self, hz):
        hazard = report(hz.company, user=hz.staff, found_on=TODAY)
        limit = add_workdays(TODAY, general_workdays(hazard, TODAY))
        with pytest.raises(GuardFailed) as refused:
            services.do_transition(
                hazard, to="rectifying", on=TODAY, due_on=limit + dt.timedelta(days=1), acting_user=hz.staff
            )
        (reason,) = refused.value.reasons
        assert reason.policy_key == rules.GENERAL_WORKDAYS
        assert limit.isoformat() in reason.message and reason.source
        hazard.refresh_from_db()
        assert (hazard.status, hazard.due_on) == ("reported", None)
        assert not logs(hazard).exists()

    def test_a_local_policy_changes_the_deadline(self, hz):
        township = hz.area("燕店镇")
        do_create_policy(
            data={
                "key": rules.GENERAL_WORKDAYS,
                "name": "一般事故隐患整改期限（燕店镇）",
                "value_type": "duration_workdays",
                "value": "3",
                "unit": "个工作日",
                "area_code": township.code,
                "area_path": township.path,
                "effective_from": D(2026, 1, 1),
                "source_document": "燕店镇测试规定",
                "source_status": "local",
            },
            acting_user=None,
        )
        hazard = accepted(hz.company, user=hz.staff, on=TODAY)
        assert hazard.due_on == add_workdays(TODAY, 3)

    def test_the_order_is_not_dated_in_the_future_or_before_the_finding(self, hz):
        hazard = report(hz.company, user=hz.staff, found_on=TODAY - dt.timedelta(days=2))
        with pytest.raises(GuardFailed):
            services.do_transition(hazard, to="rectifying", on=TODAY + dt.timedelta(days=1), acting_user=hz.staff)
        with pytest.raises(InvalidInput):
            services.do_transition(hazard, to="rectifying", on=TODAY - dt.timedelta(days=3), acting_user=hz.staff)


# --- accept: major hazards, five-in-place and the supervised listing ---------------------------
class TestMajorHazard:
    def test_without_a_plan_every_element_and_the_supervising_unit_is_a_reason(self, hz):
        hazard = report(hz.company, user=hz.staff, severity="major")
        with pytest.raises(GuardFailed) as refused:
            services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
        reasons = refused.value.reasons
        assert len(reasons) == len(FIVE_ELEMENTS) + 1
        assert {r.policy_key for r in reasons} == {rules.FIVE_IN_PLACE}
        for label in FIVE_ELEMENTS.values():
            assert any(str(label) in r.message for r in reasons), label
        assert all("挂牌督办" in r.source for r in reasons)
        hazard.refresh_from_db()
        assert (hazard.status, hazard.listed_on) == ("reported", None)

    @pytest.mark.parametrize(
        ("element", "blank"),
        [
            ("responsibility", {"responsible_person": ""}),
            ("measures", {"measures": ""}),
            ("funds", {"funds_yuan": None}),
            ("deadline", {"deadline": None}),
            ("contingency_plan", {"contingency_plan": ""}),
        ],
    )
    def test_each_missing_element_is_its_own_reason(self, hz, element, blank):
        plan = {"deadline": TODAY + dt.timedelta(days=60), **blank}
        hazard = major_with_plan(hz.company, user=hz.staff, found_on=TODAY, **plan)
        with pytest.raises(GuardFailed) as refused:
            services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
        (reason,) = refused.value.reasons
        assert str(FIVE_ELEMENTS[element]) in reason.message
        assert reason.policy_key == rules.FIVE_IN_PLACE

    def test_zero_funds_are_not_funds(self, hz):
        hazard = major_with_plan(
            hz.company, user=hz.staff, found_on=TODAY, deadline=TODAY + dt.timedelta(days=9), funds_yuan=0
        )
        reasons = services.refusals(hazard, "rectifying", acting_user=hz.staff, on=TODAY)
        assert [str(FIVE_ELEMENTS["funds"]) in r.message for r in reasons] == [True]

    def test_a_supervising_unit_is_needed_for_the_listing(self, hz):
        hazard = major_with_plan(
            hz.company, user=hz.staff, found_on=TODAY, deadline=TODAY + dt.timedelta(days=9), supervising_unit=""
        )
        (reason,) = services.refusals(hazard, "rectifying", acting_user=hz.staff, on=TODAY)
        assert reason.policy_key == rules.FIVE_IN_PLACE

    def test_with_the_five_in_place_it_is_accepted_and_listed(self, hz):
        deadline = TODAY + dt.timedelta(days=90)
        hazard = major_with_plan(hz.company, user=hz.staff, found_on=TODAY, deadline=deadline)
        moved = services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
        assert (moved.status, moved.due_on, moved.listed_on, moved.delisted_on) == ("rectifying", deadline, TODAY, None)

    def test_the_plan_deadline_may_reach_the_limit_but_not_pass_it(self, hz):
        found = TODAY - dt.timedelta(days=10)
        months = get_policy(rules.MAJOR_MAX_MONTHS, area_path=hz.area("东村").path, on=TODAY).value
        limit = add_months(found, months)
        late = major_with_plan(hz.company, user=hz.staff, found_on=found, deadline=limit + dt.timedelta(days=1))
        with pytest.raises(GuardFailed) as refused:
            services.do_transition(late, to="rectifying", on=TODAY, acting_user=hz.staff)
        (reason,) = refused.value.reasons
        assert reason.policy_key == rules.MAJOR_MAX_MONTHS and limit.isoformat() in reason.message
        on_time = major_with_plan(hz.company, user=hz.staff, found_on=found, deadline=limit)
        assert services.do_transition(on_time, to="rectifying", on=TODAY, acting_user=hz.staff).due_on == limit

    def test_a_plan_deadline_before_the_order_is_refused(self, hz):
        hazard = major_with_plan(
            hz.company, user=hz.staff, found_on=TODAY - dt.timedelta(days=5), deadline=TODAY - dt.timedelta(days=1)
        )
        (reason,) = services.refusals(hazard, "rectifying", acting_user=hz.staff, on=TODAY)
        assert reason.policy_key == rules.FIVE_IN_PLACE

    def test_the_plan_is_for_major_hazards_and_fixed_once_accepted(self, hz):
        ordinary = report(hz.company, user=hz.staff)
        with pytest.raises(InvalidInput):
            services.do_save_plan(ordinary, data=FULL_PLAN, acting_user=hz.staff)
        major = major_with_plan(hz.company, user=hz.staff, found_on=TODAY, deadline=TODAY + dt.timedelta(days=30))
        services.do_transition(major, to="rectifying", on=TODAY, acting_user=hz.staff)
        with pytest.raises(InvalidInput):
            services.do_save_plan(major, data={"measures": "改"}, acting_user=hz.staff)


# --- submit, verify, close, reopen ------------------------------------------------------------------
class TestVerification:
    def test_submitting_needs_evidence(self, hz):
        hazard = accepted(hz.company, user=hz.staff, on=TODAY)
        with pytest.raises(GuardFailed) as refused:
            services.do_transition(hazard, to="submitted", on=TODAY, acting_user=hz.staff)
        assert [r.policy_key for r in refused.value.reasons] == [rules.EVIDENCE_MIN_ITEMS]
        services.do_record_evidence(hazard, description="通道已清理", acting_user=hz.staff)
        moved = services.do_transition(hazard, to="submitted", on=TODAY, acting_user=hz.staff)
        assert (moved.status, moved.submitted_on) == ("submitted", TODAY)

    def test_closing_needs_a_passed_verification(self, hz):
        hazard = submitted(hz.company, user=hz.staff, on=TODAY)
        with pytest.raises(GuardFailed) as refused:
            services.do_transition(hazard, to="closed", on=TODAY, acting_user=hz.staff)
        assert [r.policy_key for r in refused.value.reasons] == [rules.VERIFICATION_REQUIRED]
        assert Hazard.objects.get(pk=hazard.pk).status == "submitted"

    def test_a_passed_verification_closes_and_delists(self, hz):
        hazard = major_with_plan(hz.company, user=hz.staff, found_on=TODAY, deadline=TODAY + dt.timedelta(days=30))
        services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
        services.do_record_evidence(hazard, description="已更换", acting_user=hz.staff)
        services.do_transition(hazard, to="submitted", on=TODAY, acting_user=hz.staff)
        verification = services.do_verify(hazard, passed=True, notes="整改到位", on=TODAY, acting_user=hz.staff)
        hazard.refresh_from_db()
        assert verification.officer == hz.staff
        assert (hazard.status, hazard.closed_on, hazard.delisted_on, hazard.deadline_state) == (
            "closed",
            TODAY,
            TODAY,
            "done",
        )

    def test_a_failed_verification_sends_it_back_and_old_evidence_no_longer_counts(self, hz):
        hazard = submitted(hz.company, user=hz.staff, on=TODAY)
        with pytest.raises(InvalidInput):
            services.do_verify(hazard, passed=False, notes="", on=TODAY, acting_user=hz.staff)
        services.do_verify(hazard, passed=False, notes="仍有堆放", on=TODAY, acting_user=hz.staff)
        hazard.refresh_from_db()
        assert hazard.status == "rectifying"
        assert services.refusals(hazard, "submitted", acting_user=hz.staff, on=TODAY)[0].policy_key == (
            rules.EVIDENCE_MIN_ITEMS
        )

    def test_verifying_needs_the_verify_permission(self, hz):
        user = reporter(hz)
        hazard = submitted(hz.company, user=user, on=TODAY)
        with pytest.raises(PermissionRefused):
            services.do_verify(hazard, passed=True, on=TODAY, acting_user=user)
        assert not Verification.objects.filter(hazard=hazard).exists()
        assert services.refusals(hazard, "closed", acting_user=user, on=TODAY)  # no permission
        services.do_verify(hazard, passed=True, on=TODAY, acting_user=hz.staff)  # the editor role has it
        assert Hazard.objects.get(pk=hazard.pk).status == "closed"

    def test_a_closed_hazard_is_reopened_and_ordered_again(self, hz):
        hazard = submitted(hz.company, user=hz.staff, on=TODAY - dt.timedelta(days=7))
        services.do_verify(hazard, passed=True, on=TODAY - dt.timedelta(days=6), acting_user=hz.staff)
        hazard.refresh_from_db()
        with pytest.raises(PermissionRefused):
            services.do_transition(hazard, to="reported", on=TODAY, acting_user=reporter(hz))
        reopened = services.do_transition(hazard, to="reported", on=TODAY, acting_user=hz.staff, comment="复查发现")
        assert (reopened.status, reopened.due_on, reopened.closed_on) == ("reported", None, None)
        again = services.do_transition(reopened, to="rectifying", on=TODAY, acting_user=hz.staff)
        assert again.due_on == add_workdays(TODAY, general_workdays(again, TODAY))


# --- entry and inspections ------------------------------------------------------------------------
class TestEntry:
    def test_online_entry_on_time_and_late(self, hz):
        days = get_policy(rules.ONLINE_ENTRY_WORKDAYS, area_path=hz.area("东村").path, on=TODAY).value
        on_time = report(hz.company, user=hz.staff, found_on=add_workdays(TODAY, -days))
        late = report(hz.company, user=hz.staff, found_on=add_workdays(TODAY, -days - 1))
        assert (on_time.entered_on_time, late.entered_on_time) == (True, False)

    def test_a_finding_is_corrected_only_while_reported(self, hz):
        hazard = report(hz.company, user=hz.staff)
        services.do_update_hazard(hazard, data={"description": "安全出口堵塞（更正）"}, acting_user=hz.staff)
        services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
        with pytest.raises(InvalidInput):
            services.do_update_hazard(hazard, data={"description": "再改"}, acting_user=hz.staff)
        with pytest.raises(InvalidInput):
            services.do_delete_hazard(hazard, acting_user=hz.staff)

    def test_the_inspection_must_be_of_the_same_enterprise_and_campaign_is_copied(self, hz):
        campaign = make_campaign(hz.area("莘县"), starts_on=D(2026, 11, 1), rounds=2)
        visit = services.do_record_inspection(
            data={
                "enterprise": hz.company,
                "campaign": campaign,
                "round": 2,
                "inspected_on": TODAY,
                "officers": "张明",
            },
            acting_user=hz.staff,
        )
        hazard = report(hz.company, user=hz.staff, inspection=visit)
        assert hazard.campaign == campaign
        other = enterprise(hz.area("东村"))
        with pytest.raises(InvalidInput):
            report(other, user=hz.staff, inspection=visit)
        with pytest.raises(InvalidInput):  # round 3 of a two-round campaign
            services.do_record_inspection(
                data={
                    "enterprise": hz.company,
                    "campaign": campaign,
                    "round": 3,
                    "inspected_on": TODAY,
                    "officers": "张明",
                },
                acting_user=hz.staff,
            )
        with pytest.raises(InvalidInput):  # before the campaign started
            services.do_record_inspection(
                data={
                    "enterprise": hz.company,
                    "campaign": campaign,
                    "inspected_on": D(2026, 10, 30),
                    "officers": "张明",
                },
                acting_user=hz.staff,
            )

    def test_a_recording_keeps_its_sha256(self, hz, media):
        visit = services.do_record_inspection(
            data={"enterprise": hz.company, "inspected_on": TODAY, "officers": "张明"}, acting_user=hz.staff
        )
        content = b"\x00\x01video-bytes" * 100
        recording = services.do_attach_recording(
            visit,
            kind="video",
            upload=SimpleUploadedFile("执法.mp4", content, content_type="video/mp4"),
            recorded_at=dt.datetime(2026, 11, 16, 1, tzinfo=dt.UTC),
            recorded_by="张明",
            acting_user=hz.staff,
        )
        assert recording.sha256 == hashlib.sha256(content).hexdigest()
        assert recording.size_bytes == len(content)
        assert services.file_digest(recording.file.name) == recording.sha256
        assert not recording.file.name.endswith("执法.mp4")  # a random stored name
        with pytest.raises(InvalidInput):
            services.do_attach_recording(
                visit,
                kind="photo",
                upload=SimpleUploadedFile("执法.mp4", content),
                recorded_at=dt.datetime(2026, 11, 16, 1, tzinfo=dt.UTC),
                recorded_by="张明",
                acting_user=hz.staff,
            )

    def test_a_recording_over_the_size_limit_is_refused(self, hz, media):
        township = hz.area("燕店镇")
        do_create_policy(
            data={
                "key": rules.RECORDING_MAX_MEGABYTES,
                "name": "上限",
                "value_type": "integer",
                "value": "1",
                "unit": "MB",
                "area_code": township.code,
                "area_path": township.path,
                "effective_from": D(2026, 1, 1),
                "source_document": "测试",
                "source_status": "local",
            },
            acting_user=None,
        )
        visit = services.do_record_inspection(
            data={"enterprise": hz.company, "inspected_on": TODAY, "officers": "张明"}, acting_user=hz.staff
        )
        upload = SimpleUploadedFile("a.mp4", b"0" * (1024 * 1024 + 1))
        with pytest.raises(GuardFailed) as refused:
            services.do_attach_recording(
                visit,
                kind="video",
                upload=upload,
                recorded_at=dt.datetime(2026, 11, 16, 1, tzinfo=dt.UTC),
                recorded_by="张明",
                acting_user=hz.staff,
            )
        assert refused.value.reasons[0].policy_key == rules.RECORDING_MAX_MEGABYTES
        assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


# --- campaigns ----------------------------------------------------------------------------------------
class TestCampaign:
    def campaign_with_casting_group(self, hz):
        from jiceng.core.checklists.models import ChecklistTemplate
        from jiceng.core.checklists.services import load_templates
        from jiceng.safety.hazards.demo import SEED

        load_templates(SEED)
        campaign = services.do_create_safety_campaign(
            data={"name": "百日清零", "area": hz.area("燕店镇"), "starts_on": D(2026, 6, 1), "ends_on": D(2026, 9, 8)},
            acting_user=hz.staff,
        )
        group = services.do_add_target_group(
            campaign,
            data={
                "name": "深井铸造",
                "template": ChecklistTemplate.objects.get(key="safety.hundred_day.aluminium_seven"),
                "is_deep_well_casting": True,
            },
            acting_user=hz.staff,
        )
        return campaign, group

    def test_targets_follow_the_criteria_and_get_a_run_each(self, hz):
        casting = enterprise(hz.area("东村"), is_deep_well_casting=True)
        enterprise(hz.area("古云镇"), is_deep_well_casting=True)  # outside the campaign's area
        _campaign, group = self.campaign_with_casting_group(hz)
        targets = services.do_assign_targets(group, acting_user=hz.staff)
        assert [t.enterprise for t in targets] == [casting]  # hz.company is not a casting enterprise
        (target,) = targets
        assert target.run.results.count() == group.template.items.count() == 7
        with pytest.raises(InvalidInput):
            services.do_assign_targets(group, acting_user=hz.staff)

    def test_closing_a_hazard_on_a_checklist_item_ticks_the_item(self, hz):
        casting = enterprise(hz.area("东村"), is_deep_well_casting=True)
        campaign, group = self.campaign_with_casting_group(hz)
        (target,) = services.do_assign_targets(group, acting_user=hz.staff)
        item = group.template.items.get(code="3")
        hazard = major_with_plan(
            casting,
            user=hz.staff,
            found_on=TODAY,
            deadline=TODAY + dt.timedelta(days=20),
            hazard_data={"campaign": campaign, "checklist_item": item},
        )
        services.do_transition(hazard, to="rectifying", on=TODAY, acting_user=hz.staff)
        services.do_record_evidence(hazard, description="联锁已调试", acting_user=hz.staff)
        services.do_transition(hazard, to="submitted", on=TODAY, acting_user=hz.staff)
        result = target.run.results.get(item=item)
        assert result.status == "pending"
        services.do_verify(hazard, passed=True, on=TODAY, acting_user=hz.staff)
        result.refresh_from_db()
        assert result.status == "done" and str(hazard.pk) in result.evidence_note

    def test_a_checklist_item_must_belong_to_the_campaign(self, hz):
        from jiceng.core.checklists.models import ChecklistItem

        campaign, _group = self.campaign_with_casting_group(hz)
        foreign = ChecklistItem.objects.filter(template__key="safety.hundred_day.dust_six").first()
        with pytest.raises(InvalidInput):
            report(hz.company, user=hz.staff, campaign=campaign, checklist_item=foreign)
