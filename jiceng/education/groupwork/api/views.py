"""API of group work under ``/api/v1/education/``: ``group-plans/``, ``diagnosis-visits/``,
``research-days/``, ``resources/`` (+ ``{id}/file/``), ``fund-allocations/``, ``fund-spendings/``,
``building-projects/`` (+ ``totals/``)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.api.viewsets import ScopedGenericViewSet, ScopedModelViewSet
from jiceng.core.checklists.models import ChecklistRun, ItemResult
from jiceng.core.errors import InvalidInput, NotFound
from jiceng.directory.models import Area
from jiceng.education.groupwork import filtersets as f
from jiceng.education.groupwork import selectors, services
from jiceng.education.groupwork.api import serializers as s
from jiceng.education.groupwork.files import file_response
from jiceng.education.groupwork.models import (
    BuildingProject,
    CourseResource,
    DiagnosisVisit,
    FundAllocation,
    FundSpending,
    GroupPlan,
    ResearchDay,
)

FACTS = (mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin)


class GroupPlanViewSet(ScopedModelViewSet):
    """Group plans. ``POST …/{id}/mark/`` marks one item of a member school's run
    (``{"run", "item": code, "status", "evidence_note"}``; the school's scope on the run decides)."""

    queryset = GroupPlan.objects.select_related("group", "template")
    serializer_class = s.GroupPlanSerializer
    filterset_class = f.GroupPlanFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"mark": "view"}

    def perform_destroy(self, instance: GroupPlan) -> None:
        services.do_delete_group_plan(instance, acting_user=self.request.user)

    @extend_schema(request=s.MarkItemSerializer, responses=s.GroupPlanSerializer)
    @action(detail=True, methods=["post"])
    def mark(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        payload = s.MarkItemSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        run = ChecklistRun.objects.filter(pk=payload.validated_data["run"], campaign=plan.checklist_campaign).first()
        if run is None:
            raise InvalidInput(_("No such member-school run in this plan."), field="run")
        result = (
            ItemResult.objects.select_related("run", "item__template")
            .filter(run=run, item__code=payload.validated_data["item"])
            .first()
        )
        if result is None:
            raise InvalidInput(_("No such item in this plan's checklist."), field="item")
        services.do_mark_plan_item(
            plan,
            result=result,
            status=payload.validated_data["status"],
            evidence_note=payload.validated_data["evidence_note"],
            acting_user=request.user,
        )
        return Response(s.GroupPlanSerializer(plan, context={"request": request}).data)


class DiagnosisVisitViewSet(ScopedModelViewSet):
    """Teaching-diagnosis visits (教学诊断) of a group's research team to member schools."""

    queryset = DiagnosisVisit.objects.select_related("group", "team_school", "visited_school")
    serializer_class = s.DiagnosisVisitSerializer
    filterset_class = f.DiagnosisVisitFilterSet


class ResearchDayViewSet(ScopedModelViewSet):
    """Centralised training and research days (集中研训) with attendance."""

    queryset = ResearchDay.objects.select_related("group", "host_school")
    serializer_class = s.ResearchDaySerializer
    filterset_class = f.ResearchDayFilterSet


class CourseResourceViewSet(*FACTS, ScopedGenericViewSet):
    """Shared course resources (multipart upload; SHA-256 kept). Visible to the group's current member
    schools only; ``GET …/{id}/file/`` serves the file under the same rule."""

    queryset = CourseResource.objects.select_related("group", "school")
    serializer_class = s.CourseResourceSerializer
    filterset_class = f.CourseResourceFilterSet
    parser_classes: ClassVar[list[Any]] = [MultiPartParser, FormParser, JSONParser]
    scope_actions: ClassVar[dict[str, str]] = {"file": "view"}

    def perform_destroy(self, instance: CourseResource) -> None:
        services.do_delete_resource(instance, acting_user=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request: Request, pk: str | None = None) -> Any:
        resource = self.get_object()
        return file_response(resource.file.name, resource.content_type, resource.original_name)


class FundAllocationViewSet(ScopedModelViewSet):
    """Yearly special-fund allocations per group (range from the county's policies), with balance."""

    queryset = FundAllocation.objects.select_related("group")
    serializer_class = s.FundAllocationSerializer
    filterset_class = f.FundAllocationFilterSet

    def perform_destroy(self, instance: FundAllocation) -> None:
        services.do_delete_allocation(instance, acting_user=self.request.user)


class FundSpendingViewSet(ScopedModelViewSet):
    """The spending ledger: eligible uses only (policy), never beyond the allocation."""

    queryset = FundSpending.objects.select_related("allocation__group", "school")
    serializer_class = s.FundSpendingSerializer
    filterset_class = f.FundSpendingFilterSet

    def perform_destroy(self, instance: FundSpending) -> None:
        services.do_delete_spending(instance, acting_user=self.request.user)


class BuildingProjectViewSet(ScopedModelViewSet):
    """School-building projects. ``GET …/totals/?area=<code>&year_from=&year_to=`` programme totals."""

    queryset = BuildingProject.objects.select_related("area", "school")
    serializer_class = s.BuildingProjectSerializer
    filterset_class = f.BuildingProjectFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"totals": "view"}

    def perform_destroy(self, instance: BuildingProject) -> None:
        services.do_delete_project(instance, acting_user=self.request.user)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"])
    def totals(self, request: Request) -> Response:
        projects = BuildingProject.objects.restrict(request.user, "view")
        code = request.query_params.get("area", "").strip()
        if code:
            area = Area.objects.filter(code=code).first()
            if area is None:
                raise NotFound("area")
            projects = projects.filter(area__path__startswith=area.path)

        def year(name: str) -> int | None:
            value = request.query_params.get(name)
            if value in (None, ""):
                return None
            try:
                return int(value)
            except ValueError as exc:
                raise InvalidInput(_("A year is a number."), field=name) from exc

        totals = selectors.programme_totals(projects, first_year=year("year_from"), last_year=year("year_to"))
        return Response(_json(totals))


def _json(value: Any) -> Any:
    """Decimals as strings (money and areas keep their digits)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value
