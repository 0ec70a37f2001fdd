"""Workflow engine: every failed guard reported with its policy, deny-by-default, log, audit, concurrency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from jiceng.core.errors import PermissionRefused
from jiceng.core.models import AuditEntry
from jiceng.core.policies.services import do_create_policy, get_policy
from jiceng.core.testing import build_cast
from jiceng.core.workflow import ConcurrentTransitionError, TransitionRefused, guard, policy_reason
from jiceng.core.workflow.models import WORKITEM_SUBMIT_GUARDS, TransitionLog, WorkItem, WorkItemState
from jiceng.core.workflow.services import available_transitions, run_transition
from jiceng.core.workflow.tests.factories import make_work_item

pytestmark = pytest.mark.django_db

ON = dt.date(2025, 11, 1)


@pytest.fixture
def cast(db):
    return build_cast(extra_roles={"township_staff": ["admin"], "outsider": ["admin"]})


@pytest.fixture
def township(cast):
    return cast.area("燕店镇")


def _policy(key, value, value_type, unit, document, article):
    do_create_policy(
        data={
            "key": key,
            "name": key,
            "value_type": value_type,
            "value": str(value),
            "unit": unit,
            "effective_from": dt.date(2020, 1, 1),
            "source_document": document,
            "source_article": article,
            "source_status": "national",
        },
        acting_user=None,
    )


def months_between(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)


@guard
def training_long_enough(item, *, on):
    policy = get_policy("workflow.test.training_months", area_path=item.area_path, on=on)
    months = months_between(item.opened_on, on)
    if months >= policy.value:
        return None
    return policy_reason(
        policy, "入党积极分子培养期不足一年：自 %(start)s 起仅 %(months)d 个月", start=item.opened_on, months=months
    )


@guard
def enough_documents(item, *, on):
    policy = get_policy("workflow.test.min_documents", area_path=item.area_path, on=on)
    if item.documents >= policy.value:
        return None
    return policy_reason(policy, "材料不全：需 %(value)s 份，仅 %(have)d 份", have=item.documents)


@pytest.fixture
def guards():
    _policy("workflow.test.training_months", 12, "duration_months", "个月", "中国共产党发展党员工作细则", "第十五条")
    _policy("workflow.test.min_documents", 3, "integer", "份", "测试材料规定", "第二条")
    WORKITEM_SUBMIT_GUARDS.add(training_long_enough)
    WORKITEM_SUBMIT_GUARDS.add(enough_documents)
    yield
    WORKITEM_SUBMIT_GUARDS.remove(training_long_enough)
    WORKITEM_SUBMIT_GUARDS.remove(enough_documents)


def test_every_failed_guard_is_reported_with_policy_key_value_and_source(township, cast, guards):
    item = make_work_item(township, opened_on=dt.date(2025, 3, 1), documents=1)
    with pytest.raises(TransitionRefused) as info:
        run_transition(item, "submit", acting_user=cast.township_staff, on=ON)
    reasons = info.value.reasons
    assert [(r.policy_key, r.value, r.source) for r in reasons] == [
        ("workflow.test.training_months", 12, "《中国共产党发展党员工作细则》第十五条"),
        ("workflow.test.min_documents", 3, "《测试材料规定》第二条"),
    ]
    assert (
        reasons[0].message
        == "入党积极分子培养期不足一年：自 2025-03-01 起仅 8 个月（《中国共产党发展党员工作细则》第十五条）"
    )
    assert reasons[1].message == "材料不全：需 3 份，仅 1 份（《测试材料规定》第二条）"
    data = info.value.as_dict()
    assert data["code"] == "transition_refused" and len(data["reasons"]) == 2
    item.refresh_from_db()
    assert item.state == WorkItemState.DRAFT and not TransitionLog.objects.filter(object_id=str(item.pk)).exists()

    # fix one: only the other remains
    WorkItem.objects.filter(pk=item.pk).update(documents=3)
    item.refresh_from_db()
    with pytest.raises(TransitionRefused) as info:
        run_transition(item, "submit", acting_user=cast.township_staff, on=ON)
    assert [r.policy_key for r in info.value.reasons] == ["workflow.test.training_months"]
    # a year later it passes
    run_transition(item, "submit", acting_user=cast.township_staff, on=dt.date(2026, 3, 1))
    assert item.state == WorkItemState.SUBMITTED


def test_transition_is_logged_and_audited(township, cast):
    item = make_work_item(township)
    run_transition(item, "submit", acting_user=cast.township_staff, comment="请审批", attachments=["files/a.pdf"])
    run_transition(item, "approve", acting_user=cast.township_staff, comment="同意")
    logs = list(TransitionLog.objects.filter(object_id=str(item.pk)).order_by("id"))
    assert [(log.transition, log.source_state, log.target_state, log.actor_repr) for log in logs] == [
        ("submit", "draft", "submitted", "township_staff"),
        ("approve", "submitted", "approved", "township_staff"),
    ]
    assert logs[0].comment == "请审批" and logs[0].attachments == ["files/a.pdf"] and logs[0].area_path == township.path
    ct = ContentType.objects.get_for_model(WorkItem)
    entries = AuditEntry.objects.filter(content_type=ct, object_id=str(item.pk), action="transition")
    assert entries.count() == 2
    assert {(e.before["state"], e.after["state"]) for e in entries} == {
        ("draft", "submitted"),
        ("submitted", "approved"),
    }


def test_permission_is_deny_by_default_and_by_area(township, cast):
    item = make_work_item(township)
    with pytest.raises(PermissionRefused):  # viewer of the directory only: no workflow permission at all
        run_transition(item, "submit", acting_user=cast.township_viewer)
    with pytest.raises(PermissionRefused):  # admin, but of the sibling township
        run_transition(item, "submit", acting_user=cast.outsider)
    assert available_transitions(item, "state", acting_user=cast.outsider) == []
    assert available_transitions(item, "state", acting_user=cast.township_staff) == ["submit"]
    item.refresh_from_db()
    assert item.state == WorkItemState.DRAFT


def test_transition_without_permission_is_system_only(township, cast, monkeypatch):
    item = make_work_item(township)
    meta = WorkItem.submit._django_fsm
    monkeypatch.setattr(meta.transitions[WorkItemState.DRAFT], "permission", None)
    with pytest.raises(PermissionRefused):
        run_transition(item, "submit", acting_user=cast.township_staff)
    run_transition(item, "submit", acting_user=None)
    assert item.state == WorkItemState.SUBMITTED


def test_not_possible_from_state(township, cast):
    item = make_work_item(township)
    with pytest.raises(TransitionRefused) as info:
        run_transition(item, "approve", acting_user=cast.township_staff)
    assert "draft" in info.value.reasons[0].message


def test_concurrent_transition_is_detected(township, cast):
    item = make_work_item(township)
    stale = WorkItem.objects.get(pk=item.pk)
    run_transition(item, "submit", acting_user=cast.township_staff)
    with pytest.raises(ConcurrentTransitionError):
        run_transition(stale, "submit", acting_user=cast.township_staff)
    assert TransitionLog.objects.filter(object_id=str(item.pk)).count() == 1


def test_transitions_api_and_history_page_are_scoped(township, cast, api, client):
    item = make_work_item(township)
    run_transition(item, "submit", acting_user=cast.township_staff, comment="请审批")
    url = f"/api/v1/transitions/?object_type=workflow.workitem&object_id={item.pk}"
    response = api(cast.township_staff).get(url)
    assert response.status_code == 200
    rows = response.json()["results"] if "results" in response.json() else response.json()
    assert [(r["source"], r["target"], r["comment"]) for r in rows] == [("draft", "submitted", "请审批")]
    assert api(cast.outsider).get(url).status_code == 404
    client.force_login(cast.township_staff)
    page = client.get(f"/workflow/history/workflow.workitem/{item.pk}/")
    assert page.status_code == 200 and "请审批" in page.content.decode()
    client.force_login(cast.outsider)
    assert client.get(f"/workflow/history/workflow.workitem/{item.pk}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_racing_transitions_on_postgresql_move_once():
    """Six threads approve the same submitted item at once: one succeeds, the rest are refused (PostgreSQL)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (JICENG_TEST_DATABASE_URL) for real concurrent transactions")
    cast = build_cast(extra_roles={"township_staff": ["admin"]})
    item = make_work_item(cast.area("燕店镇"))
    run_transition(item, "submit", acting_user=None)

    def approve(_):
        stale = WorkItem.objects.get(pk=item.pk)
        try:
            run_transition(stale, "approve", acting_user=cast.township_staff)
            return "ok"
        except (ConcurrentTransitionError, TransitionRefused) as exc:
            return exc.code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(approve, range(6)))
    assert outcomes.count("ok") == 1
    assert TransitionLog.objects.filter(object_id=str(item.pk), transition="approve").count() == 1
