"""API of transfers: ``/api/v1/education/transfers/`` (apply with ``POST``; decide with
``POST …/{id}/approve/``, ``…/reject/`` (with a note), ``…/withdraw/``; ``GET …/{id}/refusals/?action=``)."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.api.viewsets import ScopedGenericViewSet
from jiceng.education.transfers import services
from jiceng.education.transfers.api import serializers as s
from jiceng.education.transfers.filtersets import TransferFilterSet
from jiceng.education.transfers.models import Transfer
from jiceng.education.transfers.selectors import RELATED


class TransferViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedGenericViewSet):
    """Transfer applications (插班/转学). ``POST {"student": id, "to_class": id, "on": "YYYY-MM-DD"}``
    applies for the receiving school (201, ``status`` "applied"); a rule broken is a 409
    ``guard_failed`` listing every reason, with nothing written. Applications are never edited or
    deleted: they are approved, rejected or withdrawn."""

    queryset = Transfer.objects.select_related(*RELATED)
    serializer_class = s.TransferSerializer
    filterset_class = TransferFilterSet
    scope_actions: ClassVar[dict[str, str]] = {
        "approve": "view",
        "reject": "view",
        "withdraw": "view",
        "refusals": "view",
    }

    def _decide(self, request: Request, step: str) -> Response:
        transfer = self.get_object()
        body = s.DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_decide(
            transfer, action=step, note=body.validated_data.get("note", ""), acting_user=request.user
        )
        return Response(s.TransferSerializer(moved, context={"request": request}).data)

    @extend_schema(request=s.DecisionSerializer, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """The bureau approves: the student is moved into the class on the transfer date."""
        return self._decide(request, "approve")

    @extend_schema(request=s.DecisionSerializer, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        """The bureau rejects (the rules broken now are recorded with the note)."""
        return self._decide(request, "reject")

    @extend_schema(request=s.DecisionSerializer, responses=s.TransferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """The receiving school withdraws its application."""
        return self._decide(request, "withdraw")

    @extend_schema(parameters=[OpenApiParameter("action", str, required=True)], responses=s.TransferRefusalsSerializer)
    @action(detail=True, methods=["get"])
    def refusals(self, request: Request, pk: str | None = None) -> Response:
        """What would stop ``?action=approve|reject|withdraw`` now (an empty list: nothing)."""
        transfer = self.get_object()
        step = request.query_params.get("action", "")
        found = services.refusals(transfer, step, acting_user=request.user)
        return Response(
            {
                "action": step,
                "reasons": [{"policy": r.policy_key, "message": r.message, "source": r.source} for r in found],
            }
        )


__all__: list[Any] = ["TransferViewSet"]
