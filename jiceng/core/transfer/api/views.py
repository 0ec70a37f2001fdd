"""``POST /api/v1/imports/<registry>/`` with a multipart ``file``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.scope import permission_name, user_scope_paths
from jiceng.core.transfer import services
from jiceng.core.transfer.registry import get_importer


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportView(APIView):
    """Import a workbook: 201 with counts, or 400 with every row-level error (nothing written)."""

    parser_classes = [MultiPartParser]
    permission_classes = [IsAuthenticated]
    serializer_class = ImportUploadSerializer

    def post(self, request: Request, registry: str) -> Response:
        importer = get_importer(registry)
        if importer is None or not user_scope_paths(request.user, permission_name(importer.model, "add")):
            raise Http404
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        result = services.do_import(importer, file.read(), file_name=file.name, acting_user=request.user)
        body: dict[str, Any] = {"run": result.run.pk, "rows": result.run.rows}
        if not result.ok:
            body.update(
                code="import_invalid",
                message=f"{len(result.errors)} error(s); nothing was written.",
                errors=[e.as_dict() for e in result.errors],
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        body.update(created=result.created, updated=result.updated, unchanged=result.unchanged)
        return Response(body, status=status.HTTP_201_CREATED)
