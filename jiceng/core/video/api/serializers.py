"""API serializers of the video engine; writes go through ``jiceng.core.video.services``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from jiceng.core.errors import InvalidInput
from jiceng.core.video import selectors, services
from jiceng.core.video.models import Camera, Detection, Snapshot
from jiceng.core.video.subjects import find_subject


def _area_code(path: str) -> str:
    parts = [p for p in (path or "").split("/") if p]
    return parts[-1] if parts else ""


class SnapshotSerializer(serializers.ModelSerializer):
    camera = serializers.PrimaryKeyRelatedField(read_only=True)
    frame_url = serializers.SerializerMethodField()

    class Meta:
        model = Snapshot
        fields = [
            "id",
            "camera",
            "captured_at",
            "sha256",
            "size_bytes",
            "width",
            "height",
            "metrics",
            "is_evidence",
            "frame_url",
        ]

    def get_frame_url(self, obj: Snapshot) -> str:
        return reverse("video-snapshot-frame", args=[obj.pk])


class CameraSerializer(serializers.ModelSerializer):
    """Cameras. Create with ``subject_type`` (``directory.area``, or a model a module registered) and
    ``subject_id``; ``stream_url`` is shown with any password masked."""

    subject_type = serializers.CharField(write_only=True, required=False)
    subject_id = serializers.CharField(write_only=True, required=False)
    subject = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()
    latest_snapshot = serializers.SerializerMethodField()
    zone = serializers.JSONField(required=False)
    zone_windows = serializers.JSONField(required=False)
    detectors = serializers.JSONField(required=False)

    class Meta:
        model = Camera
        fields = [
            "id",
            "name",
            "stream_url",
            "location",
            "subject",
            "subject_type",
            "subject_id",
            "area",
            "is_active",
            "snapshot_interval_seconds",
            "zone",
            "zone_windows",
            "detectors",
            "last_capture_at",
            "last_success_at",
            "next_capture_at",
            "failing_since",
            "consecutive_failures",
            "last_error",
            "latest_snapshot",
        ]
        read_only_fields = [
            "last_capture_at",
            "last_success_at",
            "next_capture_at",
            "failing_since",
            "consecutive_failures",
            "last_error",
        ]

    def get_subject(self, obj: Camera) -> dict[str, Any]:
        return {
            "type": f"{obj.content_type.app_label}.{obj.content_type.model}",
            "id": obj.object_id,
            "repr": obj.subject_repr,
        }

    def get_area(self, obj: Camera) -> str:
        return _area_code(obj.area_path)

    def get_latest_snapshot(self, obj: Camera) -> dict[str, Any] | None:
        latest = selectors.latest_snapshot(obj)
        return SnapshotSerializer(latest).data if latest else None

    def to_representation(self, instance: Camera) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["stream_url"] = instance.display_url
        return data

    def _user(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _subject(self, validated: dict[str, Any], *, required: bool) -> Any:
        label, object_id = validated.pop("subject_type", None), validated.pop("subject_id", None)
        if not label and not object_id:
            if required:
                raise InvalidInput("Give subject_type and subject_id.", field="subject_type")
            return None
        subject = find_subject(self._user(), label or "", object_id)
        if subject is None:
            raise InvalidInput("No such subject in your areas.", field="subject_id")
        return subject

    def create(self, validated_data: dict[str, Any]) -> Camera:
        subject = self._subject(validated_data, required=True)
        return services.do_create_camera(subject=subject, acting_user=self._user(), **validated_data)

    def update(self, instance: Camera, validated_data: dict[str, Any]) -> Camera:
        subject = self._subject(validated_data, required=False)
        return services.do_update_camera(instance, data=validated_data, subject=subject, acting_user=self._user())


class DetectionSerializer(serializers.ModelSerializer):
    camera = serializers.PrimaryKeyRelatedField(read_only=True)
    camera_name = serializers.CharField(source="camera.name", read_only=True)
    area = serializers.SerializerMethodField()
    evidence_frame = serializers.SerializerMethodField()
    handled_by = serializers.SerializerMethodField()
    alert = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Detection
        fields = [
            "id",
            "camera",
            "camera_name",
            "area",
            "detector",
            "detector_label",
            "severity",
            "message",
            "value",
            "threshold",
            "policy_key",
            "policy_source",
            "boxes",
            "evidence_frame",
            "evidence",
            "evidence_sha256",
            "alert",
            "discovered_at",
            "warned_at",
            "evidence_fixed_at",
            "handled_at",
            "handled_by",
            "handling_note",
            "cleared_at",
        ]
        read_only_fields = fields

    def get_area(self, obj: Detection) -> str:
        return _area_code(obj.area_path)

    def get_evidence_frame(self, obj: Detection) -> dict[str, Any] | None:
        return SnapshotSerializer(obj.snapshot).data if obj.snapshot_id else None

    def get_handled_by(self, obj: Detection) -> str | None:
        return obj.handled_by.get_username() if obj.handled_by_id else None


class HandleSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000)
