from rest_framework import serializers

from jiceng.core.api.viewsets import ScopedReadOnlyViewSet
from jiceng.core.publicpages.models import PublicPage


class PublicPageSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_public_url", read_only=True)
    object_type = serializers.CharField(source="content_type.model", read_only=True)

    class Meta:
        model = PublicPage
        fields = ["id", "title", "url", "object_type", "object_id", "is_active", "scan_count", "created_at"]


class PublicPageViewSet(ScopedReadOnlyViewSet):
    queryset = PublicPage.objects.select_related("content_type")
    serializer_class = PublicPageSerializer
