"""Pages: the plan with its quota check, directions, coverage and assignments; generate and approve
buttons with a refusal page that names the rules; a teacher's rotation history; recruitment; mentor pairs."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from jiceng.education.staff import rules, services
from jiceng.education.staff.tests.factories import make_mentor_pair, make_post

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_the_quota_check_and_the_buttons(county, plan, client):
    client.force_login(county.admin)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="quota"' in html and 'id="coverage"' in html and 'id="assignments"' in html
    assert reverse("education_staff:plan_generate", args=[plan.pk]) in html
    assert reverse("education_staff:plan_approve", args=[plan.pk]) in html
    assert "<script>" not in html
    response = client.post(reverse("education_staff:plan_generate", args=[plan.pk]), {"seed": 3})
    assert response.status_code == 302
    figures = rules.plan_figures(plan)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert f"{figures.exchanged} / {figures.full_time}" in html and figures.quota.explain() in html
    first = plan.assignments.select_related("teacher__person").first()
    assert first.teacher.person.name in html
    assert reverse("education_staff:rotationassignment_edit", args=[first.pk]) in html


def test_a_refused_approval_names_each_rule_and_changes_nothing(county, plan, client):
    client.force_login(county.admin)
    response = client.post(reverse("education_staff:plan_approve", args=[plan.pk]))
    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="refusal"' in html
    reasons = services.refusals(plan, acting_user=county.admin)
    assert reasons and all(escape(r.message) in html for r in reasons)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_the_teacher_rotation_page_and_the_township_view(county, plan, client):
    plan, _p, _s = services.do_generate_plan(plan, seed=1, acting_user=county.admin)
    services.do_approve_plan(plan, acting_user=county.admin)
    sent = plan.assignments.filter(from_school__in=county.urban).select_related("teacher").first()
    client.force_login(county.cast.township_staff)  # 燕店镇: the urban schools are theirs
    html = client.get(reverse("education_staff:teacher_rotation", args=[sent.teacher_id])).content.decode()
    assert 'id="service-record"' in html and str(sent.to_school) in html
    rural = plan.assignments.filter(from_school__in=county.rural[2:]).first()  # 南村 (古云镇)
    assert client.get(reverse("education_staff:teacher_rotation", args=[rural.teacher_id])).status_code == 404
    html = client.get(plan.get_absolute_url()).content.decode()  # the county's plan, seen from the township
    assert str(sent.teacher) in html and str(rural.teacher) not in html
    assert reverse("education_staff:plan_approve", args=[plan.pk]) not in html


def test_recruitment_and_mentor_pages(county, client):
    area = county.cast.area("燕店镇")
    post = make_post(area, hired=3)
    make_post(area, recruitment_round=post.recruitment_round, employment="contract", hired=1)
    pair = make_mentor_pair(area)
    client.force_login(county.admin)
    html = client.get(reverse("education_staff:recruitment")).content.decode()
    assert 'id="headcount"' in html and ">4<" in html  # 3 established + 1 contract hired in the year
    html = client.get(post.recruitment_round.get_absolute_url()).content.decode()
    assert 'id="round-totals"' in html
    assert str(pair.mentee) in client.get(reverse("education_staff:mentorpair_list")).content.decode()
    assert client.get(pair.get_absolute_url()).status_code == 200
