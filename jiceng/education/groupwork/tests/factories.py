"""Factories of group work: one row of every served model in a given Area (the scope matrix).

Rows are written directly (test set-up of leaf data); tests of the rules go through the services. A
group made here has its lead school *and* a membership row in the area, so the resource's group-only
visibility covers the area's users.
"""

import datetime as dt
from decimal import Decimal

from jiceng.core.checklists.models import ChecklistTemplate
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
)
from jiceng.education.models import EducationGroup, GroupMembership
from jiceng.education.testing import make_school

D = dt.date(2026, 3, 2)


def make_group(area, **kwargs):
    lead = kwargs.pop("lead_school", None) or make_school(area)
    group = EducationGroup.objects.create(
        area=area,
        lead_school=lead,
        stage=lead.stage,
        name=kwargs.pop("name", f"{lead.name}教育集团"),
        formed_on=kwargs.pop("formed_on", dt.date(2022, 7, 15)),
        **kwargs,
    )
    GroupMembership.objects.create(group=group, school=lead, role="lead", joined_on=group.formed_on)
    return group


def add_member(group, school=None, **kwargs):
    school = school or make_school(group.area)
    GroupMembership.objects.create(group=group, school=school, joined_on=kwargs.pop("joined_on", group.formed_on))
    return school


def make_plan(area, *, group=None, **kwargs):
    template, _ = ChecklistTemplate.objects.get_or_create(
        key="education.group.test_plan", defaults={"name": "测试计划"}
    )
    return GroupPlan.objects.create(
        group=group or make_group(area), year=2026, name="测试统一计划", template=template, due_on=D, **kwargs
    )


def make_visit(area, *, group=None, **kwargs):
    group = group or make_group(area)
    member = kwargs.pop("visited_school", None) or add_member(group)
    return DiagnosisVisit.objects.create(
        group=group,
        team_school=group.lead_school,
        team="张老师 李老师",
        visited_school=member,
        visited_on=kwargs.pop("visited_on", D),
        findings="课堂提问设计需加强",
        **kwargs,
    )


def make_research_day(area, *, group=None, **kwargs):
    return ResearchDay.objects.create(
        group=group or make_group(area), held_on=D, topic="集中教研", invited_count=40, attended_count=38, **kwargs
    )


def make_resource(area, *, group=None, school=None, **kwargs):
    group = group or make_group(area)
    return CourseResource.objects.create(
        group=group,
        school=school or group.lead_school,
        title=kwargs.pop("title", "《秋天》教学设计"),
        file=kwargs.pop("file", "education_groupwork/resources/test.txt"),
        original_name="秋天.txt",
        content_type="text/plain",
        size_bytes=10,
        sha256="0" * 64,
        **kwargs,
    )


def make_allocation(area, *, group=None, **kwargs):
    return FundAllocation.objects.create(
        group=group or make_group(area),
        year=kwargs.pop("year", 2026),
        amount_yuan=kwargs.pop("amount_yuan", Decimal("600000.00")),
        approved_on=kwargs.pop("approved_on", D),
        **kwargs,
    )


def make_spending(area, *, allocation=None, **kwargs):
    return FundSpending.objects.create(
        allocation=allocation or make_allocation(area),
        spent_on=kwargs.pop("spent_on", D),
        use=kwargs.pop("use", "teacher_training"),
        amount_yuan=kwargs.pop("amount_yuan", Decimal("12000.00")),
        description="骨干教师培训",
        **kwargs,
    )


def make_project(area, **kwargs):
    return BuildingProject.objects.create(
        area=area,
        name=kwargs.pop("name", "测试学校新建工程"),
        planned_school=kwargs.pop("planned_school", "测试新校"),
        kind=kwargs.pop("kind", "new_build"),
        planning_year=kwargs.pop("planning_year", 2018),
        **kwargs,
    )


TEST_FACTORIES = {
    GroupPlan: make_plan,
    DiagnosisVisit: make_visit,
    ResearchDay: make_research_day,
    CourseResource: make_resource,
    FundAllocation: make_allocation,
    FundSpending: make_spending,
    BuildingProject: make_project,
}
