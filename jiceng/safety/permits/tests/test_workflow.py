"""The permit workflow through the API: submit → approve → start → close, approval by permission and
by level, refusals (409 with every rule, nothing written), and the drafts-only edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jiceng.accounts.models import Role
from jiceng.accounts.services import do_create_user
from jiceng.core.models import AuditEntry
from jiceng.core.workflow.models import TransitionLog
from jiceng.safety.permits import services
from jiceng.safety.permits.models import WorkPermit

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def draft(permit_data, **changes):
    return services.do_create_permit(data=permit_data(**changes), acting_user=None)


def move(client, permit, to, **extra):
    return client.post(reverse("workpermit-transition", args=[permit.pk]), {"to": to, **extra}, format="json")


def state_of(permit):
    return WorkPermit.objects.get(pk=permit.pk).state


def test_the_whole_way_through_the_workflow(safety_cast, permit_data, api, now):
    permit = draft(permit_data, valid_from=now - dt.timedelta(minutes=10), valid_until=now + 7 * HOUR)
    client = api(safety_cast.township_staff)
    for to in ("submitted", "approved", "active", "closed"):
        response = move(client, permit, to, comment=f"→ {to}")
        assert response.status_code == 200, response.content
        assert response.json()["state"] == to
    permit.refresh_from_db()
    assert permit.approved_at == now and permit.started_at == now and permit.closed_at == now
    steps = list(TransitionLog.objects.filter(object_id=str(permit.pk)).values_list("transition", "actor_repr"))
    assert steps == [(name, "township_staff") for name in ("submit", "approve", "start", "close")]


def test_approval_needs_the_approve_permission(safety_cast, permit_data, api, now):
    permit = draft(permit_data)
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    viewer = move(api(safety_cast.township_viewer), permit, "approved")
    assert viewer.status_code == 403
    clerk_role = Role.objects.create(key="permit_clerk", name="permit clerk")
    editor = Role.objects.get(key="safety_editor")
    assert editor.permissions.filter(codename="approve_workpermit").exists()  # custom actions join the editor role
    clerk_role.permissions.set(editor.permissions.exclude(codename="approve_workpermit"))
    clerk = do_create_user(
        username="clerk",
        password="x",
        area_code=safety_cast.area("燕店镇").code,
        role_keys=["permit_clerk"],
        check_password=False,
    )
    refused = move(api(clerk), permit, "approved")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert state_of(permit) == "submitted"
    assert move(api(safety_cast.township_staff), permit, "approved").status_code == 200


def test_special_hot_work_is_approved_at_county_level(safety_cast, permit_data, api, now):
    permit = draft(permit_data, hot_work_level="special", valid_until=None)
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    client = api(safety_cast.township_staff)
    logs, audits = TransitionLog.objects.count(), AuditEntry.objects.count()
    refused = move(client, permit, "approved")
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "guard_failed"
    assert [r["policy"] for r in body["reasons"]] == ["safety.permit.approver_level.hot_work_special"]
    assert body["reasons"][0]["value"] == "county"
    assert state_of(permit) == "submitted"
    assert (TransitionLog.objects.count(), AuditEntry.objects.count()) == (logs, audits)
    approved = move(api(safety_cast.county_admin), permit, "approved")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"


def test_level_2_hot_work_is_approved_at_township_level_but_not_by_a_village(safety_cast, permit_data, api, now):
    permit = draft(permit_data)
    services.do_transition(permit, to="submitted", acting_user=safety_cast.village_staff)
    village = move(api(safety_cast.village_staff), permit, "approved")
    assert village.status_code == 409
    assert [r["policy"] for r in village.json()["reasons"]] == ["safety.permit.approver_level.default"]
    assert move(api(safety_cast.township_staff), permit, "approved").status_code == 200


@pytest.mark.parametrize(("metres", "county_only"), [("30", False), ("30.01", True)])
def test_class_iv_height_is_approved_at_county_level(safety_cast, permit_data, api, now, metres, county_only):
    permit = draft(permit_data, work_type="height", height_m=Decimal(metres), valid_until=None)
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    response = move(api(safety_cast.township_staff), permit, "approved")
    assert response.status_code == (409 if county_only else 200), response.content
    if county_only:
        assert response.json()["reasons"][0]["policy"] == "safety.permit.approver_level.height_iv"


@pytest.mark.parametrize(("tonnes", "county_only"), [("100", False), ("100.01", True)])
def test_level_1_lifting_is_approved_at_county_level(safety_cast, permit_data, api, now, tonnes, county_only):
    permit = draft(permit_data, work_type="lifting", load_t=Decimal(tonnes))
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    response = move(api(safety_cast.township_staff), permit, "approved")
    assert response.status_code == (409 if county_only else 200), response.content


def test_work_starts_only_inside_the_window(safety_cast, permit_data, api, now):
    permit = draft(permit_data)  # from now + 1 h
    for to in ("submitted", "approved"):
        services.do_transition(permit, to=to, acting_user=safety_cast.township_staff)
    client = api(safety_cast.township_staff)
    early = move(client, permit, "active")
    assert early.status_code == 409 and early.json()["reasons"][0]["policy"] == ""
    assert state_of(permit) == "approved"
    import time_machine

    with time_machine.travel(now + HOUR, tick=False):
        assert move(client, permit, "active").status_code == 200


def test_a_window_already_over_cannot_be_submitted(safety_cast, permit_data, now):
    import time_machine

    permit = draft(permit_data)
    with time_machine.travel(now + 9 * HOUR, tick=False), pytest.raises(services.GuardFailed):
        services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    assert state_of(permit) == "draft"


def test_a_permit_made_too_long_by_a_policy_change_is_refused_on_approval(safety_cast, permit_data, api, now):
    from jiceng.core.policies.models import Policy
    from jiceng.core.policies.services import do_update_policy

    permit = draft(permit_data, work_type="confined_space", valid_until=now + 21 * HOUR)
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    rule = Policy.objects.get(key="safety.permit.confined_space_hours", area_path="")
    do_update_policy(rule, data={"value": "12"}, acting_user=None)
    response = move(api(safety_cast.township_staff), permit, "approved")
    assert response.status_code == 409
    assert [r["policy"] for r in response.json()["reasons"]] == ["safety.permit.confined_space_hours"]


def test_reject_and_cancel(safety_cast, permit_data, api, now):
    client = api(safety_cast.township_staff)
    rejected = draft(permit_data)
    move(client, rejected, "submitted")
    assert move(client, rejected, "rejected").json()["state"] == "rejected"
    assert move(client, rejected, "approved").status_code == 409  # no way back from a rejection
    cancelled = draft(permit_data, location="2#罐区")
    assert move(client, cancelled, "cancelled").json()["state"] == "cancelled"


def test_only_drafts_are_edited_or_deleted(safety_cast, permit_data, api, now):
    client = api(safety_cast.township_staff)
    permit = draft(permit_data)
    url = reverse("workpermit-detail", args=[permit.pk])
    assert client.patch(url, {"location": "3#罐区"}, format="json").status_code == 200
    too_long = client.patch(url, {"valid_until": (now + 80 * HOUR).isoformat()}, format="json")
    assert too_long.status_code == 409
    move(client, permit, "submitted")
    assert client.patch(url, {"location": "4#罐区"}, format="json").status_code == 400
    assert client.delete(url).status_code == 400
    assert WorkPermit.objects.get(pk=permit.pk).location == "3#罐区"
    other = draft(permit_data)
    assert client.delete(reverse("workpermit-detail", args=[other.pk])).status_code == 204


def test_state_is_not_written_directly_and_unknown_steps_are_refused(safety_cast, permit_data, api, now):
    client = api(safety_cast.township_staff)
    permit = draft(permit_data)
    client.patch(reverse("workpermit-detail", args=[permit.pk]), {"state": "approved"}, format="json")
    assert state_of(permit) == "draft"
    assert move(client, permit, "flying").status_code == 400
    assert move(client, permit, "closed").status_code == 409  # not from a draft


def test_refusals_endpoint_lists_what_stops_a_step(safety_cast, permit_data, api, now):
    permit = draft(permit_data, hot_work_level="special", valid_until=None)
    services.do_transition(permit, to="submitted", acting_user=safety_cast.township_staff)
    url = reverse("workpermit-refusals", args=[permit.pk])
    found = api(safety_cast.township_staff).get(url, {"to": "approved"}).json()["reasons"]
    assert [r["policy"] for r in found] == ["safety.permit.approver_level.hot_work_special"]
    assert api(safety_cast.county_admin).get(url, {"to": "approved"}).json()["reasons"] == []
    assert api(safety_cast.outsider).get(url, {"to": "approved"}).status_code == 404
