"""``/api/v1/alerts/``: scoped list/detail with filters, and lifecycle actions as POSTs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.alerts import services
from jiceng.core.alerts.filtersets import AlertFilterSet
from jiceng.core.alerts.models import Alert, AlertComment
from jiceng.core.api.viewsets import ScopedReadOnlyViewSet
from jiceng.core.errors import InvalidInput
from jiceng.core.selectors import access_object


class AlertSerializer(serializers.ModelSerializer):
    subject = serializers.SerializerMethodField()
    area = serializers.CharField(source="area_code", read_only=True)
    assignee = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "severity",
            "state",
            "explanation",
            "subject",
            "area",
            "evidence",
            "attachments",
            "raised_at",
            "last_seen_at",
            "seen_count",
            "acknowledged_at",
            "closed_at",
            "escalation_level",
            "escalate_at",
            "assignee",
            "assignee_role",
        ]

    def get_subject(self, obj: Alert) -> dict[str, Any]:
        return {
            "type": f"{obj.content_type.app_label}.{obj.content_type.model}",
            "id": obj.object_id,
            "repr": obj.subject_repr,
        }

    def get_assignee(self, obj: Alert) -> str | None:
        return obj.assignee.get_username() if obj.assignee_id else None


class AlertCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertComment
        fields = ["id", "author_repr", "text", "attachments", "created_at"]


class AlertViewSet(ScopedReadOnlyViewSet):
    """Alerts in your area subtree (404 outside it). Actions: acknowledge, start-handling, close
    (``comment`` required), reopen, comment (``text``), assign (``assignee`` username)."""

    queryset = Alert.objects.select_related("content_type", "assignee")
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    scope_actions = {
        "acknowledge": "change",
        "start_handling": "change",
        "close": "change",
        "reopen": "change",
        "comment": "change",
        "assign": "change",
    }

    def _alert(self, pk: Any) -> Alert:
        return access_object(self.request.user, Alert, {"pk": pk}, "view")

    def _run(self, request: Request, pk: Any, service: Any) -> Response:
        alert = service(self._alert(pk), acting_user=request.user, comment=str(request.data.get("comment", "")))
        alert = Alert.objects.select_related("content_type", "assignee").get(pk=alert.pk)
        return Response(AlertSerializer(alert).data)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        return self._run(request, pk, services.do_acknowledge)

    @action(detail=True, methods=["post"], url_path="start-handling")
    def start_handling(self, request: Request, pk: Any = None) -> Response:
        return self._run(request, pk, services.do_start_handling)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        return self._run(request, pk, services.do_close)

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self._run(request, pk, services.do_reopen)

    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: Any = None) -> Response:
        note = services.do_comment(self._alert(pk), acting_user=request.user, text=str(request.data.get("text", "")))
        return Response(AlertCommentSerializer(note).data, status=201)

    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        alert = self._alert(pk)
        username = str(request.data.get("assignee", ""))
        user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
        if user is None:
            raise InvalidInput(f"No active user “{username}”.", field="assignee")
        alert = services.do_assign(
            alert, assignee=user, acting_user=request.user, role=str(request.data.get("role", ""))
        )
        return Response(AlertSerializer(alert).data)
