"""Serializers of the results API (every write through ``jiceng.finance.results.services``).
Amounts and values are decimal strings."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.finance.results import services
from jiceng.finance.results.choices import Measure
from jiceng.finance.results.models import (
    Finding,
    FindingResponse,
    IdleFundWarning,
    MonitoringReport,
    PerformanceTarget,
    ReviewNote,
    TargetReport,
)


class PerformanceTargetSerializer(ServiceModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = PerformanceTarget
        fields = [
            "id",
            "project",
            "project_name",
            "area",
            "category",
            "indicator",
            "target_value",
            "unit",
            "direction",
            "weight",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> PerformanceTarget:
        return services.do_create_target(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> PerformanceTarget:
        return services.do_update_target(instance, data=validated_data, acting_user=self._acting_user())


class TargetReportSerializer(ServiceModelSerializer):
    class Meta:
        model = TargetReport
        fields = ["id", "target", "reported_on", "achieved", "forecast", "note"]

    def perform_create(self, validated_data: dict[str, Any]) -> TargetReport:
        return services.do_report_progress(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> TargetReport:
        return services.do_update_report(instance, data=validated_data, acting_user=self._acting_user())


class FindingResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingResponse
        fields = ["round", "text", "responded_on", "rejected_on", "rejection_reason"]


class FindingSerializer(ServiceModelSerializer):
    """Issue with ``project``, ``kind``, ``text``, ``measures`` (list), optional ``target``/``warning``
    and ``issued_on``; the department, deadline and numbers are set by the service."""

    measures = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices), required=False)
    department_name = serializers.CharField(source="department.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    responses = FindingResponseSerializer(many=True, read_only=True)
    overdue = serializers.SerializerMethodField()
    issued_on = serializers.DateField(required=False)

    class Meta:
        model = Finding
        fields = [
            "id",
            "project",
            "department",
            "department_name",
            "area",
            "kind",
            "text",
            "numbers",
            "measures",
            "target",
            "warning",
            "issued_on",
            "status",
            "due_on",
            "due_workdays",
            "round",
            "responded_on",
            "closed_on",
            "closing_note",
            "overdue",
            "responses",
        ]
        read_only_fields = [
            "department",
            "numbers",
            "status",
            "due_on",
            "due_workdays",
            "round",
            "responded_on",
            "closed_on",
            "closing_note",
        ]

    def get_overdue(self, obj: Finding) -> bool:
        return obj.is_overdue()

    def perform_create(self, validated_data: dict[str, Any]) -> Finding:
        return services.do_issue_finding(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Finding:
        return services.do_update_finding(instance, data=validated_data, acting_user=self._acting_user())


class FindingUpdateSerializer(FindingSerializer):
    class Meta(FindingSerializer.Meta):
        read_only_fields = [f for f in FindingSerializer.Meta.fields if f not in ("text", "measures")]


class StepSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    text = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)


class WarningFindingSerializer(serializers.Serializer):
    on = serializers.DateField(required=False)
    measures = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices), required=False)


class IdleFundWarningSerializer(serializers.ModelSerializer):
    project_name = serializers.CharField(source="project.name", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    finding = serializers.SerializerMethodField()

    class Meta:
        model = IdleFundWarning
        fields = ["id", "project", "project_name", "area", "rule", "scanned_on", "numbers", "explanation", "finding"]
        read_only_fields = fields

    def get_finding(self, obj: IdleFundWarning) -> int | None:
        found = Finding.objects.filter(warning=obj).values_list("pk", flat=True).first()
        return found


class ScanSerializer(serializers.Serializer):
    on = serializers.DateField()
    area = serializers.CharField(required=False, allow_blank=True)


class MonitoringReportSerializer(ServiceModelSerializer):
    """Generate with ``{"area": <area id>, "period_end": "YYYY-MM-DD", "title"?}``; ``downloads``
    lists the file URLs (``?fmt=xlsx|docx|pdf`` of ``…/{id}/download/``)."""

    area_code = serializers.CharField(source="area.code", read_only=True)
    downloads = serializers.SerializerMethodField()
    title = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = MonitoringReport
        fields = ["id", "area", "area_code", "year", "period_end", "title", "figures", "generated_at", "downloads"]
        read_only_fields = ["year", "figures", "generated_at"]

    def get_downloads(self, obj: MonitoringReport) -> dict[str, str]:
        from django.urls import reverse

        from jiceng.finance.results.reports import FORMATS

        base = reverse("finance-results-report-download", args=[obj.pk])
        return {fmt: f"{base}?fmt={fmt}" for fmt in FORMATS}

    def perform_create(self, validated_data: dict[str, Any]) -> MonitoringReport:
        return services.do_generate_report(
            area=validated_data["area"],
            period_end=validated_data["period_end"],
            title=validated_data.get("title", ""),
            acting_user=self._acting_user(),
        )


class ReviewNoteSerializer(ServiceModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    for_year = serializers.IntegerField(required=False)

    class Meta:
        model = ReviewNote
        fields = [
            "id",
            "department",
            "department_name",
            "project",
            "for_year",
            "recommendation",
            "amount",
            "text",
            "finding",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> ReviewNote:
        return services.do_create_review_note(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> ReviewNote:
        return services.do_update_review_note(instance, data=validated_data, acting_user=self._acting_user())
