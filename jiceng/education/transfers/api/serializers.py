"""Serializers of transfers (writes through ``jiceng.education.transfers.services``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.education.transfers import services
from jiceng.education.transfers.models import Transfer


class TransferSerializer(ServiceModelSerializer):
    """A transfer application. ``POST`` takes ``student``, ``to_class`` and ``on``; the rest is
    derived (the open enrollment and school, the receiving school) or set by the decision."""

    student_name = serializers.CharField(source="student.person.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    status = serializers.CharField(read_only=True)
    refusal_reasons = serializers.JSONField(read_only=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "student",
            "student_name",
            "student_number",
            "from_enrollment",
            "from_school",
            "to_class",
            "to_school",
            "area",
            "on",
            "applied_on",
            "status",
            "applied_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "refusal_reasons",
            "handover_due_on",
        ]
        validators: list[Any] = []  # the one-pending rule is the service's (409 with its reason)
        read_only_fields = [
            "from_enrollment",
            "from_school",
            "to_school",
            "applied_on",
            "applied_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "handover_due_on",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> Transfer:
        return services.do_apply(data=validated_data, acting_user=self._acting_user())


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class TransferRefusalSerializer(serializers.Serializer):
    policy = serializers.CharField(help_text="policy key (empty for a plain fact)")
    message = serializers.CharField()
    source = serializers.CharField()


class TransferRefusalsSerializer(serializers.Serializer):
    action = serializers.CharField()
    reasons = TransferRefusalSerializer(many=True)
