"""``/api/v1/transitions/?object_type=app_label.model&object_id=…``: read-only, scoped."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from jiceng.core.api.viewsets import ScopedReadOnlyViewSet
from jiceng.core.workflow.models import TransitionLog
from jiceng.core.workflow.services import list_transitions
from jiceng.core.workflow.views import access_subject


class TransitionLogSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    source = serializers.CharField(source="source_state")
    target = serializers.CharField(source="target_state")
    actor = serializers.CharField(source="actor_repr")

    class Meta:
        model = TransitionLog
        fields = [
            "id",
            "object_type",
            "object_id",
            "object_repr",
            "transition",
            "source",
            "target",
            "actor",
            "occurred_at",
            "comment",
            "attachments",
        ]

    def get_object_type(self, obj: TransitionLog) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class TransitionLogViewSet(ScopedReadOnlyViewSet):
    """With ``object_type`` and ``object_id``: that object's transitions if you may view it (else 404).
    Without them: the transitions in your area subtree (``workflow.view_transitionlog``)."""

    queryset = TransitionLog.objects.select_related("content_type")
    serializer_class = TransitionLogSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> Any:
        params = self.request.query_params
        if self.action == "list" and params.get("object_type") and params.get("object_id"):
            subject = access_subject(self.request.user, params["object_type"], params["object_id"])
            return list_transitions(subject).select_related("content_type")
        return super().get_queryset()
