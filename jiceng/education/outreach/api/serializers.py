"""Serializers of consultation and outreach (writes through ``jiceng.education.outreach.services``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from jiceng.core.api.viewsets import ServiceModelSerializer
from jiceng.education.outreach import services
from jiceng.education.outreach.choices import CallbackOutcome
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    OutsidePublication,
    PatrolVisit,
    PolicyNotice,
    Reflection,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)


class PolicyNoticeSerializer(ServiceModelSerializer):
    class Meta:
        model = PolicyNotice
        fields = ["id", "area", "year", "title", "body", "published_on", "channels"]


class ConsultationSerializer(ServiceModelSerializer):
    """A call or visit. ``area`` may be left out when ``school`` is given (the school's area); the
    callback deadline is computed (``callback_due_on``); the callback is ``POST …/{id}/callback/``."""

    school_name = serializers.CharField(source="school.name", read_only=True, default="")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "area",
            "school",
            "school_name",
            "channel",
            "caller_name",
            "caller_phone",
            "caller",
            "category",
            "question",
            "answer",
            "handled_by",
            "received_at",
            "callback_due_on",
            "callback_workdays",
            "callback_done_at",
            "callback_by",
            "callback_outcome",
            "callback_notes",
            "deadline_state",
            "is_overdue",
        ]
        read_only_fields = [
            "callback_due_on",
            "callback_workdays",
            "callback_done_at",
            "callback_by",
            "callback_outcome",
            "callback_notes",
            "deadline_state",
        ]
        extra_kwargs = {"area": {"required": False}}

    def get_is_overdue(self, consultation: Consultation) -> bool:
        return consultation.is_callback_overdue(timezone.now())

    def perform_create(self, validated_data: dict[str, Any]) -> Consultation:
        return services.do_create_consultation(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Consultation:
        return services.do_update_consultation(instance, data=validated_data, acting_user=self._acting_user())


class CallbackSerializer(serializers.Serializer):
    by = serializers.CharField(max_length=50)
    outcome = serializers.ChoiceField(choices=CallbackOutcome.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    done_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class StudyGroupSerializer(ServiceModelSerializer):
    """A study group; ``leader`` must be one of ``members`` (409 ``guard_failed`` otherwise)."""

    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = StudyGroup
        fields = [
            "id",
            "school",
            "village",
            "village_name",
            "name",
            "venue_kind",
            "venue",
            "members",
            "leader",
            "formed_on",
            "dissolved_on",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "school" in attrs and attrs["school"] != self.instance.school:
            raise serializers.ValidationError({"school": ["A study group stays with its school."]})
        return attrs

    def perform_create(self, validated_data: dict[str, Any]) -> StudyGroup:
        return services.do_create_study_group(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> StudyGroup:
        return services.do_update_study_group(instance, data=validated_data, acting_user=self._acting_user())


class StudyLogSerializer(ServiceModelSerializer):
    class Meta:
        model = StudyLog
        fields = ["id", "group", "on", "kept_by", "present", "summary"]
        extra_kwargs = {"kept_by": {"required": False}}

    def perform_create(self, validated_data: dict[str, Any]) -> StudyLog:
        return services.do_create_study_log(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> StudyLog:
        return services.do_update_study_log(instance, data=validated_data, acting_user=self._acting_user())


class PatrolVisitSerializer(ServiceModelSerializer):
    class Meta:
        model = PatrolVisit
        fields = ["id", "group", "teacher", "visited_on", "notes"]


class ClassMeetingSerializer(ServiceModelSerializer):
    class Meta:
        model = ClassMeeting
        fields = ["id", "school_class", "held_on", "theme", "format", "plan"]


class OutsidePublicationSerializer(ServiceModelSerializer):
    class Meta:
        model = OutsidePublication
        fields = ["id", "reflection", "outlet", "level", "published_on"]

    def perform_create(self, validated_data: dict[str, Any]) -> OutsidePublication:
        return services.do_create_publication(data=validated_data, acting_user=self._acting_user())


class ReflectionSerializer(ServiceModelSerializer):
    publications = OutsidePublicationSerializer(many=True, read_only=True)

    class Meta:
        model = Reflection
        fields = [
            "id",
            "meeting",
            "author",
            "title",
            "text",
            "written_on",
            "is_selected",
            "magazine_issue",
            "publications",
        ]

    def perform_create(self, validated_data: dict[str, Any]) -> Reflection:
        return services.do_create_reflection(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> Reflection:
        return services.do_update_reflection(instance, data=validated_data, acting_user=self._acting_user())


class StudentAidSerializer(ServiceModelSerializer):
    """Aid for a registered poor student (``amount_yuan``: positive, two decimals)."""

    class Meta:
        model = StudentAid
        fields = ["id", "student", "kind", "amount_yuan", "granted_on", "source", "notes"]

    def perform_create(self, validated_data: dict[str, Any]) -> StudentAid:
        return services.do_create_aid(data=validated_data, acting_user=self._acting_user())

    def perform_update(self, instance: Any, validated_data: dict[str, Any]) -> StudentAid:
        return services.do_update_aid(instance, data=validated_data, acting_user=self._acting_user())


class StudentResultSerializer(ServiceModelSerializer):
    class Meta:
        model = StudentResult
        fields = ["id", "student", "kind", "on", "exam", "score", "admitted_to", "notes"]

    def perform_create(self, validated_data: dict[str, Any]) -> StudentResult:
        return services.do_create_result(data=validated_data, acting_user=self._acting_user())


class CoeducationActivitySerializer(ServiceModelSerializer):
    class Meta:
        model = CoeducationActivity
        fields = [
            "id",
            "school",
            "held_on",
            "kind",
            "title",
            "description",
            "students",
            "parents",
            "community_members",
            "partners",
        ]


class FlagSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    flag = serializers.BooleanField()
    reason = serializers.CharField(max_length=300)
