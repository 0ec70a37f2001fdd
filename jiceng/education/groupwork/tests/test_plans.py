"""Group plans on the checklists engine (E01): one run per member school, completion per school."""

import pytest
from django.urls import reverse

from jiceng.core.checklists.models import ChecklistTemplate, ItemResult, ItemStatus
from jiceng.core.errors import InvalidInput, PermissionRefused
from jiceng.education.groupwork import selectors, services
from jiceng.education.groupwork.models import GroupPlan

pytestmark = pytest.mark.django_db


def make_plan(cast, template_key=services.DEFAULT_TEMPLATE):
    template = ChecklistTemplate.objects.get(key=template_key)
    return services.do_create_group_plan(
        data={"group": cast.group, "year": 2026, "template": template, "due_on": cast.today_due},
        acting_user=cast.county_admin,
    )


@pytest.fixture
def plan(gw, today):
    gw.today_due = today.replace(month=12, day=31)
    return make_plan(gw)


def test_the_templates_are_seed_data(gw):
    four = ChecklistTemplate.objects.get(key="education.group.unified_plan")
    five = ChecklistTemplate.objects.get(key="education.group.five_same")
    assert [i.text for i in four.items.all()] == [
        "工作统一推进",
        "教育教学计划统一实施",
        "教师培训研修统一联动",
        "学生培养目标统一落实",
    ]
    assert all("同部署、同考核、同落实" in i.text for i in five.items.all())
    assert five.items.count() == 5


def test_a_plan_runs_once_per_member_school(gw, plan):
    runs = plan.checklist_campaign.runs.all()
    assert {int(r.object_id) for r in runs} == {gw.group.lead_school_id, gw.member.pk}
    items = plan.template.items.count()
    assert ItemResult.objects.filter(run__campaign=plan.checklist_campaign).count() == items * 2
    assert plan.name.startswith(gw.group.name)


def test_completion_per_school(gw, plan):
    run = plan.checklist_campaign.runs.get(object_id=str(gw.member.pk))
    results = list(run.results.select_related("item", "run"))
    for result in results[:-1]:
        services.do_mark_plan_item(
            plan, result=result, status=ItemStatus.DONE, evidence_note="已落实", acting_user=gw.village_staff
        )
    rows = {row["school_id"]: row for row in selectors.plan_completion(plan)}
    member, lead = rows[gw.member.pk], rows[gw.group.lead_school_id]
    assert (member["done"], member["applicable"], member["complete"]) == (len(results) - 1, len(results), False)
    assert lead["done"] == 0
    services.do_mark_plan_item(
        plan, result=results[-1], status=ItemStatus.DONE, evidence_note="已落实", acting_user=gw.village_staff
    )
    rows = {row["school_id"]: row for row in selectors.plan_completion(plan)}
    assert rows[gw.member.pk]["complete"] is True
    assert str(rows[gw.member.pk]["rate"]) == "100.0"
    summary = selectors.plan_summary(plan)
    assert (summary["complete"], summary["schools"], summary["done"]) == (1, 2, len(results))


def test_evidence_is_required_where_the_item_says_so(gw, plan):
    result = ItemResult.objects.filter(run__campaign=plan.checklist_campaign).select_related("item", "run").first()
    with pytest.raises(InvalidInput):
        services.do_mark_plan_item(plan, result=result, status=ItemStatus.DONE, acting_user=gw.county_admin)


def test_a_school_cannot_mark_another_schools_run(gw, plan):
    lead_run = plan.checklist_campaign.runs.get(object_id=str(gw.group.lead_school_id))
    result = lead_run.results.select_related("item", "run").first()
    with pytest.raises(PermissionRefused):
        services.do_mark_plan_item(
            plan, result=result, status=ItemStatus.DONE, evidence_note="x", acting_user=gw.village_staff
        )
    assert ItemResult.objects.get(pk=result.pk).status == ItemStatus.PENDING


def test_only_plan_templates_are_accepted(gw, today):
    other = ChecklistTemplate.objects.create(key="rural.other", name="其他")
    with pytest.raises(InvalidInput):
        services.do_create_group_plan(
            data={"group": gw.group, "year": 2026, "template": other, "due_on": today}, acting_user=gw.county_admin
        )
    assert not GroupPlan.objects.exists()


def test_a_started_plan_is_not_deleted(gw, plan):
    result = ItemResult.objects.filter(run__campaign=plan.checklist_campaign).select_related("item", "run").first()
    services.do_mark_plan_item(plan, result=result, status=ItemStatus.NOT_APPLICABLE, acting_user=gw.county_admin)
    with pytest.raises(InvalidInput):
        services.do_delete_group_plan(plan, acting_user=gw.county_admin)
    assert GroupPlan.objects.filter(pk=plan.pk).exists()


def test_the_group_dashboard_shows_completion(gw, plan, client):
    client.force_login(gw.township_viewer)
    response = client.get(reverse("education_groupwork:group_dashboard", args=[gw.group.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert gw.member.name in body and plan.name in body
    run = plan.checklist_campaign.runs.get(object_id=str(gw.member.pk))
    assert reverse("checklists:checklistrun_detail", args=[run.pk]) in body
    assert client.get(reverse("education_groupwork:groupplan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("education_groupwork:overview")).status_code == 200


def test_plans_through_the_api(gw, api, today):
    client = api(gw.county_admin)
    response = client.post(
        "/api/v1/education/group-plans/",
        {"group": gw.group.pk, "year": 2026, "template": "education.group.five_same", "due_on": "2026-12-31"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["completion"]) == 2
    member_run = next(row["run"] for row in body["completion"] if row["school_id"] == gw.member.pk)
    marked = api(gw.village_staff).post(
        f"/api/v1/education/group-plans/{body['id']}/mark/",
        {"run": member_run, "item": "1", "status": "done", "evidence_note": "计划已同部署"},
        format="json",
    )
    assert marked.status_code == 200, marked.content
    row = next(r for r in marked.json()["completion"] if r["school_id"] == gw.member.pk)
    assert row["done"] == 1
    lead_run = next(r["run"] for r in body["completion"] if r["school_id"] == gw.group.lead_school_id)
    refused = api(gw.village_staff).post(
        f"/api/v1/education/group-plans/{body['id']}/mark/",
        {"run": lead_run, "item": "1", "status": "done", "evidence_note": "x"},
        format="json",
    )
    assert refused.status_code == 403
