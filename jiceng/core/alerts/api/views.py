"""``/api/v1/alerts/``: scoped list/detail with filters, and lifecycle actions as POSTs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.alerts import services
from jiceng.core.alerts.filtersets import AlertFilterSet
from jiceng.core.alerts.models import Alert, AlertComment, Notification
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


class NotificationSerializer(serializers.ModelSerializer):
    alert = AlertSerializer(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "created_at", "read_at", "alert"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """Your own notifications, newest first (``?unread=1``); ``POST mark-read/`` with ``ids`` (or none: all)."""

    queryset = Notification.objects.select_related("alert__content_type", "alert__assignee")
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = None

    def get_queryset(self) -> Any:
        qs = self.queryset.filter(user=self.request.user)
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request) -> Response:
        ids = request.data.get("ids") if hasattr(request.data, "get") else None
        if ids is not None and (not isinstance(ids, list) or not all(isinstance(i, int) for i in ids)):
            raise InvalidInput("ids must be a list of notification ids.", field="ids")
        return Response({"marked": services.do_mark_read(request.user, ids)})
