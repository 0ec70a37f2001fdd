from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from jiceng.core.api.viewsets import ScopedReadOnlyViewSet
from jiceng.core.checklists.models import ChecklistItem, ChecklistRun, ChecklistTemplate, ItemResult


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["code", "text", "evidence", "points", "order"]


class ChecklistTemplateSerializer(serializers.ModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "key", "name", "version", "source_document", "wording", "items"]


class ChecklistTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """The checklist templates (national and local standards): readable by every signed-in user."""

    queryset = ChecklistTemplate.objects.prefetch_related("items")
    serializer_class = ChecklistTemplateSerializer
    permission_classes = [IsAuthenticated]


class ItemResultSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code", read_only=True)

    class Meta:
        model = ItemResult
        fields = ["code", "status", "evidence_note", "reviewed_at"]


class ChecklistRunSerializer(serializers.ModelSerializer):
    results = ItemResultSerializer(many=True, read_only=True)
    campaign = serializers.CharField(source="campaign.name", read_only=True)

    class Meta:
        model = ChecklistRun
        fields = ["id", "campaign", "subject_repr", "due_on", "completed_at", "results"]


class ChecklistRunViewSet(ScopedReadOnlyViewSet):
    queryset = ChecklistRun.objects.select_related("campaign").prefetch_related("results__item")
    serializer_class = ChecklistRunSerializer
