"""Shared course resources (E05): group-only visibility, the file served through the scoped view only,
type and size as policies."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiceng.core.policies.services import do_create_policy, get_policy
from jiceng.core.workflow import GuardFailed
from jiceng.education.groupwork import services
from jiceng.education.groupwork.models import CourseResource
from jiceng.education.models import GroupMembership

pytestmark = pytest.mark.django_db
CONTENT = "《秋天》教学设计\n一、教学目标……\n".encode()


def share(cast, *, name="秋天.txt", content=CONTENT, school=None, user=None):
    return services.do_share_resource(
        data={"group": cast.group, "school": school or cast.member, "kind": "lesson_plan", "title": "《秋天》教学设计"},
        upload=SimpleUploadedFile(name, content),
        acting_user=user or cast.village_staff,
    )


def test_a_member_school_shares_a_file_with_its_sha256(gw, media):
    resource = share(gw)
    assert resource.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert resource.size_bytes == len(CONTENT)
    assert resource.area == gw.member.area
    assert (media / resource.file.name).read_bytes() == CONTENT
    assert resource.file.name.startswith(f"education_groupwork/resources/{gw.group.pk}/")
    assert "秋天" not in resource.file.name  # stored under a random name


def test_a_non_member_school_cannot_share(gw):
    from jiceng.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        share(gw, school=gw.outside_school, user=gw.outsider)
    assert not CourseResource.objects.exists()


def test_visible_to_users_covering_a_current_member_school(gw):
    resource = share(gw)
    visible = lambda user: CourseResource.objects.restrict(user, "view").filter(pk=resource.pk).exists()  # noqa: E731
    assert visible(gw.township_staff)  # 燕店镇: the lead school and 东村's member school
    assert visible(gw.village_staff)
    assert visible(gw.county_admin)
    assert not visible(gw.outsider)  # 古云镇, same county, no member school


def test_joining_and_leaving_the_group_change_who_sees_it(gw, today):
    resource = share(gw)
    membership = GroupMembership.objects.create(group=gw.group, school=gw.outside_school, joined_on=today)
    assert CourseResource.objects.restrict(gw.outsider, "view").filter(pk=resource.pk).exists()
    membership.left_on = today
    membership.save(update_fields=["left_on"])
    assert not CourseResource.objects.restrict(gw.outsider, "view").filter(pk=resource.pk).exists()


def test_outsider_of_the_same_county_gets_404_on_page_file_and_api(gw, client, api):
    resource = share(gw)
    client.force_login(gw.outsider)
    detail = reverse("education_groupwork:courseresource_detail", args=[resource.pk])
    download = reverse("education_groupwork:resource_file", args=[resource.pk])
    assert client.get(detail).status_code == 404
    assert client.get(download).status_code == 404
    outsider = api(gw.outsider)
    assert outsider.get(f"/api/v1/education/resources/{resource.pk}/").status_code == 404
    assert outsider.get(f"/api/v1/education/resources/{resource.pk}/file/").status_code == 404
    listed = outsider.get("/api/v1/education/resources/").json()["results"]
    assert resource.pk not in [row["id"] for row in listed]


def test_member_downloads_the_file(gw, client, api):
    resource = share(gw)
    client.force_login(gw.township_staff)
    response = client.get(reverse("education_groupwork:resource_file", args=[resource.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Cache-Control"] == "private, no-store"
    body = api(gw.township_staff).get(f"/api/v1/education/resources/{resource.pk}/").json()
    assert body["sha256"] == resource.sha256
    assert api(gw.township_staff).get(body["download"]).status_code == 200


def test_a_type_outside_the_policy_is_refused(gw, media):
    rule = get_policy(services.RESOURCE_EXTENSIONS, area_path=gw.group.area.path)
    assert ".exe" not in rule.value
    with pytest.raises(GuardFailed) as exc:
        share(gw, name="setup.exe")
    assert exc.value.reasons[0].policy_key == services.RESOURCE_EXTENSIONS
    assert not CourseResource.objects.exists()
    assert not list(media.rglob("*.exe")) if media.exists() else True


def test_a_file_over_the_size_policy_is_refused(gw, today):
    do_create_policy(
        data={
            "key": services.RESOURCE_MAX_MB,
            "name": "测试上限",
            "value_type": "integer",
            "value": "1",
            "unit": "MB",
            "area_code": gw.county.code,
            "area_path": gw.county.path,
            "source_document": "测试",
            "source_status": "local",
            "effective_from": dt.date(2026, 1, 1),
        },
        acting_user=None,
    )
    limit = get_policy(services.RESOURCE_MAX_MB, area_path=gw.county.path).value
    with pytest.raises(GuardFailed) as exc:
        share(gw, content=b"x" * (limit * 1024 * 1024 + 1))
    assert exc.value.reasons[0].policy_key == services.RESOURCE_MAX_MB
    assert not CourseResource.objects.exists()


def test_upload_through_the_api_and_the_page(gw, api, client):
    response = api(gw.village_staff).post(
        "/api/v1/education/resources/",
        {
            "group": gw.group.pk,
            "school": gw.member.pk,
            "kind": "course",
            "title": "特色课程",
            "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf"
    client.force_login(gw.village_staff)
    page = client.post(
        reverse("education_groupwork:courseresource_add"),
        {
            "group": gw.group.pk,
            "school": gw.member.pk,
            "kind": "course",
            "title": "页面上传",
            "file": SimpleUploadedFile("b.txt", b"hello"),
        },
    )
    assert page.status_code == 302
    refused = client.post(
        reverse("education_groupwork:courseresource_add"),
        {
            "group": gw.group.pk,
            "school": gw.member.pk,
            "kind": "course",
            "title": "x",
            "file": SimpleUploadedFile("c.exe", b"MZ"),
        },
    )
    assert refused.status_code == 409
    assert CourseResource.objects.count() == 2
