"""Serializers of group work; every write goes through ``groupwork.services``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.core.checklists.models import ItemStatus
from jiceng.education.groupwork import selectors, services
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
    split_keys,
)

MONEY = {"max_digits": 14, "decimal_places": 2, "coerce_to_string": True}


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class SubjectsField(serializers.Field):
    """Subjects as a list of keys in and out (stored comma-separated)."""

    def to_representation(self, value: str) -> list[str]:
        return split_keys(value)

    def to_internal_value(self, data: Any) -> str:
        if isinstance(data, str):
            return data
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            return ",".join(data)
        raise serializers.ValidationError(_("A list of subject keys."))


class GroupPlanSerializer(ServiceModelSerializer):
    """A group's yearly plan; creating it assigns the checklist to every current member school.
    ``completion`` is per school (items done / applicable, rate, complete)."""

    template = serializers.SlugRelatedField(slug_field="key", queryset=services.plan_templates(), required=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    completion = serializers.SerializerMethodField()

    class Meta:
        model = GroupPlan
        fields = ["id", "group", "year", "template", "name", "due_on", "notes", "checklist_campaign", "completion"]
        read_only_fields = ["checklist_campaign"]

    def get_completion(self, obj: GroupPlan) -> list[dict[str, Any]]:
        return [
            {
                "school": row["school"],
                "school_id": row["school_id"],
                "run": row["run"].pk,
                "done": row["done"],
                "applicable": row["applicable"],
                "rate": str(row["rate"]) if row["rate"] is not None else None,
                "complete": row["complete"],
            }
            for row in selectors.plan_completion(obj)
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> GroupPlan:
        return services.do_create_group_plan(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> GroupPlan:
        return services.do_update_group_plan(instance, data=validated_data, acting_user=self._acting_user())


class MarkItemSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    item = serializers.CharField(help_text="The item's code in the checklist.")
    status = serializers.ChoiceField(choices=ItemStatus.choices)
    evidence_note = serializers.CharField(required=False, allow_blank=True, default="")


class DiagnosisVisitSerializer(ServiceModelSerializer):
    subjects = SubjectsField(required=False)

    class Meta:
        model = DiagnosisVisit
        fields = [
            "id",
            "group",
            "team_school",
            "team",
            "visited_school",
            "visited_campus",
            "visited_on",
            "subjects",
            "findings",
            "follow_up",
            "follow_up_due_on",
            "follow_up_done_on",
        ]
        extra_kwargs = {"team_school": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> DiagnosisVisit:
        return services.do_record_visit(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> DiagnosisVisit:
        return services.do_update_visit(instance, data=validated_data, acting_user=self._acting_user())


class ResearchDaySerializer(ServiceModelSerializer):
    subjects = SubjectsField(required=False)

    class Meta:
        model = ResearchDay
        fields = [
            "id",
            "group",
            "held_on",
            "kind",
            "topic",
            "host_school",
            "subjects",
            "invited_count",
            "attended_count",
            "notes",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> ResearchDay:
        return services.do_record_research_day(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> ResearchDay:
        return services.do_update_research_day(instance, data=validated_data, acting_user=self._acting_user())


class CourseResourceSerializer(ServiceModelSerializer):
    """Upload with multipart ``group``, ``school``, ``kind``, ``title``, ``file`` (…); ``download`` is
    the scoped URL of the file (members of the group only)."""

    file = serializers.FileField(write_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = CourseResource
        fields = [
            "id",
            "group",
            "school",
            "kind",
            "title",
            "subject",
            "grade",
            "description",
            "file",
            "download",
            "original_name",
            "content_type",
            "size_bytes",
            "sha256",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = ["original_name", "content_type", "size_bytes", "sha256", "uploaded_by", "created_at"]

    def get_download(self, obj: CourseResource) -> str:
        return reverse("education-groupwork-resource-file", args=[obj.pk])

    def perform_create(self, validated_data: dict[str, Any]) -> CourseResource:
        upload = validated_data.pop("file")
        return services.do_share_resource(data=validated_data, upload=upload, acting_user=self._acting_user())


class FundAllocationSerializer(ServiceModelSerializer):
    amount_yuan = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]
    spent_yuan = serializers.SerializerMethodField()
    balance_yuan = serializers.SerializerMethodField()

    class Meta:
        model = FundAllocation
        fields = [
            "id",
            "group",
            "year",
            "amount_yuan",
            "spent_yuan",
            "balance_yuan",
            "approved_on",
            "document",
            "notes",
        ]

    def get_spent_yuan(self, obj: FundAllocation) -> str:
        return str(selectors.allocation_balance(obj)["spent"])

    def get_balance_yuan(self, obj: FundAllocation) -> str:
        return str(selectors.allocation_balance(obj)["balance"])

    def perform_create(self, validated_data: dict[str, Any]) -> FundAllocation:
        return services.do_allocate_fund(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> FundAllocation:
        return services.do_update_allocation(instance, data=validated_data, acting_user=self._acting_user())


class FundSpendingSerializer(ServiceModelSerializer):
    amount_yuan = serializers.DecimalField(**MONEY)  # type: ignore[arg-type]

    class Meta:
        model = FundSpending
        fields = [
            "id",
            "allocation",
            "spent_on",
            "use",
            "amount_yuan",
            "description",
            "school",
            "voucher",
            "recorded_by",
        ]
        read_only_fields = ["recorded_by"]

    def perform_create(self, validated_data: dict[str, Any]) -> FundSpending:
        return services.do_record_spending(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> FundSpending:
        return services.do_update_spending(instance, data=validated_data, acting_user=self._acting_user())


class BuildingProjectSerializer(ServiceModelSerializer):
    investment_yuan = serializers.DecimalField(**MONEY, required=False, allow_null=True)  # type: ignore[arg-type]

    class Meta:
        model = BuildingProject
        fields = [
            "id",
            "name",
            "programme",
            "area",
            "school",
            "planned_school",
            "kind",
            "status",
            "planning_year",
            "investment_yuan",
            "land_mu",
            "floor_area_m2",
            "completed_on",
            "notes",
        ]
        extra_kwargs = {"area": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> BuildingProject:
        return services.do_create_project(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> BuildingProject:
        return services.do_update_project(instance, data=validated_data, acting_user=self._acting_user())
