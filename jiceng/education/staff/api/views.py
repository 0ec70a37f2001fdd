"""API of the staff app: ``/api/v1/education/rotation-plans/`` (``POST …/{id}/generate/``,
``POST …/{id}/approve/``, ``GET …/{id}/check/``), ``/rotation-assignments/``, ``/recruitment-rounds/``,
``/recruitment-posts/``, ``/mentor-pairs/``."""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.education.staff import rules, services
from jiceng.education.staff.api import serializers as s
from jiceng.education.staff.filtersets import (
    MentorPairFilterSet,
    RecruitmentPostFilterSet,
    RecruitmentRoundFilterSet,
    RotationAssignmentFilterSet,
    RotationPlanFilterSet,
)
from jiceng.education.staff.models import (
    MentorPair,
    RecruitmentPost,
    RecruitmentRound,
    RotationAssignment,
    RotationPlan,
)


def figures_data(plan: RotationPlan) -> dict[str, Any]:
    figures = rules.plan_figures(plan)
    return {
        "full_time": figures.full_time,
        "exchanged": figures.exchanged,
        "required": figures.required,
        "percent": str(figures.percent),
        "quota_met": figures.quota_met,
        "policy": figures.quota.key,
        "required_pct": str(figures.quota.value),
        "source": figures.quota.cite(),
        "directions": figures.directions,
        "uncovered": [
            {"school": row.school_id, "subject": row.subject, "own": row.own, "sent": row.sent}
            for row in figures.broken
        ],
    }


class RotationPlanViewSet(ScopedModelViewSet):
    """Exchange plans (交流轮岗计划). Drafts are edited and deleted; ``POST …/{id}/generate/ {"seed": n}``
    proposes the assignments; ``POST …/{id}/approve/`` → 200, or 409 ``guard_failed`` with every rule
    broken (quota, both directions, subject coverage, approver level), nothing written."""

    queryset = RotationPlan.objects.select_related("area", "group")
    serializer_class = s.RotationPlanSerializer
    filterset_class = RotationPlanFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"generate": "change", "approve": "view", "check": "view"}

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_plan(instance, acting_user=self.request.user)

    @extend_schema(request=s.GenerateSerializer, responses=s.RotationPlanSerializer)
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        body = s.GenerateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan, proposal, seconds = services.do_generate_plan(
            plan, seed=body.validated_data["seed"], acting_user=request.user
        )
        data = s.RotationPlanSerializer(plan, context={"request": request}).data
        return Response(
            {
                **data,
                "proposal": {
                    "moved": proposal.moved,
                    "required": proposal.required,
                    "shortfall": proposal.shortfall,
                    "seconds": round(seconds, 3),
                },
                "check": figures_data(plan),
            }
        )

    @extend_schema(request=s.ApproveSerializer, responses=s.RotationPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        plan = self.get_object()
        body = s.ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.do_approve_plan(plan, acting_user=request.user, comment=body.validated_data.get("comment", ""))
        return Response(s.RotationPlanSerializer(moved, context={"request": request}).data)

    @action(detail=True, methods=["get"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        """The quota check and what would stop the caller approving the plan now."""
        plan = self.get_object()
        found = services.refusals(plan, acting_user=request.user)
        return Response(
            {
                **figures_data(plan),
                "reasons": [{"policy": r.policy_key, "message": r.message, "source": r.source} for r in found],
            }
        )


class RotationAssignmentViewSet(ScopedModelViewSet):
    """Assignments of exchange plans; changes to a draft plan's assignments are the bureau's adjustments."""

    queryset = RotationAssignment.objects.select_related("plan", "teacher__person", "from_school", "to_school")
    serializer_class = s.RotationAssignmentSerializer
    filterset_class = RotationAssignmentFilterSet

    def perform_destroy(self, instance: Any) -> None:
        services.do_remove_assignment(instance, acting_user=self.request.user)


class RecruitmentRoundViewSet(ScopedModelViewSet):
    """Teacher recruitment rounds (教师招考) with their totals by type."""

    queryset = RecruitmentRound.objects.select_related("area")
    serializer_class = s.RecruitmentRoundSerializer
    filterset_class = RecruitmentRoundFilterSet


class RecruitmentPostViewSet(ScopedModelViewSet):
    """Posts of a recruitment round by school, subject and type, with the hires."""

    queryset = RecruitmentPost.objects.select_related("recruitment_round", "school")
    serializer_class = s.RecruitmentPostSerializer
    filterset_class = RecruitmentPostFilterSet


class MentorPairViewSet(ScopedModelViewSet):
    """青蓝结对: mentors and young or new teachers."""

    queryset = MentorPair.objects.select_related("mentor__person", "mentee__person", "school")
    serializer_class = s.MentorPairSerializer
    filterset_class = MentorPairFilterSet
