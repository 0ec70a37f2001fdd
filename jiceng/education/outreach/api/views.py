"""API of consultation and outreach under ``/api/v1/education/``: ``consultations/`` (``POST
…/{id}/callback/``), ``consultation-figures/`` (daily dispatch and weekly ranking),
``policy-notices/``, ``study-groups/``, ``study-logs/``, ``patrol-visits/``,
``study-group-coverage/``, ``class-meetings/``, ``reflections/``, ``reflection-publications/``,
``student-aid/``, ``student-results/``, ``poor-students/`` (``POST …/flag/``), ``activities/``."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiceng.core.api.viewsets import ScopedModelViewSet
from jiceng.core.errors import InvalidInput
from jiceng.core.selectors import access_object
from jiceng.directory.dashboard import scope_root
from jiceng.education.models import Student
from jiceng.education.outreach import filtersets as f
from jiceng.education.outreach import selectors, services
from jiceng.education.outreach.api import serializers as s
from jiceng.education.outreach.models import (
    ClassMeeting,
    CoeducationActivity,
    Consultation,
    OutsidePublication,
    PatrolVisit,
    PolicyNotice,
    Reflection,
    StudentAid,
    StudentResult,
    StudyGroup,
    StudyLog,
)


def _date(request: Request, name: str, default: dt.date) -> dt.date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"{name} is a date: YYYY-MM-DD", field=name) from exc


def _number(value: Any) -> Any:
    return str(value) if value is not None else None


class PolicyNoticeViewSet(ScopedModelViewSet):
    """The enrolment policy of a county and year (招生政策公开)."""

    queryset = PolicyNotice.objects.select_related("area")
    serializer_class = s.PolicyNoticeSerializer
    filterset_class = f.PolicyNoticeFilterSet


class ConsultationViewSet(ScopedModelViewSet):
    """Enrolment consultations (来电来访). ``POST …/{id}/callback/ {"by", "outcome", "notes", "done_at"}``
    records the mandatory callback (回访) and resolves its overdue alert."""

    queryset = Consultation.objects.select_related("area", "school")
    serializer_class = s.ConsultationSerializer
    filterset_class = f.ConsultationFilterSet
    scope_actions: ClassVar[dict[str, str]] = {"callback": "change"}

    def perform_destroy(self, instance: Any) -> None:
        services.do_delete_consultation(instance, acting_user=self.request.user)

    @extend_schema(request=s.CallbackSerializer, responses=s.ConsultationSerializer)
    @action(detail=True, methods=["post"])
    def callback(self, request: Request, pk: str | None = None) -> Response:
        consultation = self.get_object()
        body = s.CallbackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = services.do_record_callback(consultation, acting_user=request.user, **body.validated_data)
        return Response(s.ConsultationSerializer(done, context={"request": request}).data)


class ConsultationFiguresView(APIView):
    """The daily dispatch (每天调度) of ``?day=`` (default today) and the weekly ranking (每周排名) of the
    week holding ``?week=`` (default the day's week) in ``?area=<code>`` (default the caller's area)."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str),
            OpenApiParameter("day", OpenApiTypes.DATE),
            OpenApiParameter("week", OpenApiTypes.DATE, description="any day of the week"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        root = scope_root(request, "education_outreach.view_consultation")
        if root is None:
            raise PermissionDenied
        day = _date(request, "day", timezone.localdate())
        week = selectors.week_start(_date(request, "week", day))
        dispatch = selectors.daily_dispatch(request.user, root, day, now=timezone.now())
        goal = dispatch.pop("target")
        ranking = selectors.weekly_ranking(request.user, root, week)
        return Response(
            {
                "area": root.code,
                "dispatch": {
                    **{k: v for k, v in dispatch.items() if k not in ("rate", "resolution", "day")},
                    "day": day.isoformat(),
                    "rate": _number(dispatch["rate"]),
                    "resolution": _number(dispatch["resolution"]),
                },
                "target": {
                    "policy": goal.key,
                    "value": str(goal.value),
                    "unit": goal.unit,
                    "source": goal.cite(),
                    "source_status": goal.source_status,
                }
                if goal is not None
                else None,
                "week": {"start": week.isoformat(), "end": (week + dt.timedelta(days=6)).isoformat()},
                "ranking": [
                    {
                        "rank": row["rank"],
                        "school": row["school"],
                        "name": row["name"],
                        "is_bureau": row["is_bureau"],
                        "tickets": row["tickets"],
                        "answered": row["answered"],
                        "called_back": row["called_back"],
                        "resolved": row["resolved"],
                        "rate": _number(row["rate"]),
                        "resolution": _number(row["resolution"]),
                    }
                    for row in ranking
                ],
            }
        )


class StudyGroupViewSet(ScopedModelViewSet):
    """Off-campus cooperative study groups (校外合作学习小组)."""

    queryset = StudyGroup.objects.select_related("school", "village", "leader").prefetch_related("members")
    serializer_class = s.StudyGroupSerializer
    filterset_class = f.StudyGroupFilterSet


class StudyLogViewSet(ScopedModelViewSet):
    """The leaders' holiday homework log (one entry a day per group)."""

    queryset = StudyLog.objects.select_related("group", "kept_by")
    serializer_class = s.StudyLogSerializer
    filterset_class = f.StudyLogFilterSet


class PatrolVisitViewSet(ScopedModelViewSet):
    """Patrol visits of party-member teacher grid members (巡回指导)."""

    queryset = PatrolVisit.objects.select_related("group", "teacher")
    serializer_class = s.PatrolVisitSerializer
    filterset_class = f.PatrolVisitFilterSet


class StudyGroupCoverageView(APIView):
    """Per school of ``?area=`` running study groups (``?all=1``: every school): each village where it
    has students, its groups, and the gaps against ``education.study_group.min_per_village``."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str),
            OpenApiParameter("on", OpenApiTypes.DATE),
            OpenApiParameter("all", bool),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        root = scope_root(request, "education_outreach.view_studygroup")
        if root is None:
            raise PermissionDenied
        on = _date(request, "on", timezone.localdate())
        rows = selectors.coverage(request.user, root, on, all_schools=request.query_params.get("all") in ("1", "true"))
        return Response(
            {
                "area": root.code,
                "on": on.isoformat(),
                "schools": [
                    {
                        "school": row["school"].pk,
                        "name": row["school"].name,
                        "policy": row["rule"].key,
                        "min_per_village": row["rule"].value,
                        "source": row["rule"].cite(),
                        "villages": [{k: v for k, v in village.items() if k != "id"} for village in row["villages"]],
                        "gaps": [village["code"] for village in row["gaps"]],
                    }
                    for row in rows
                ],
            }
        )


class ClassMeetingViewSet(ScopedModelViewSet):
    """Theme class meetings (主题班会)."""

    queryset = ClassMeeting.objects.select_related("school_class")
    serializer_class = s.ClassMeetingSerializer
    filterset_class = f.ClassMeetingFilterSet


class ReflectionViewSet(ScopedModelViewSet):
    """Students' reflections; ``is_selected`` with ``magazine_issue`` for the school magazine."""

    queryset = Reflection.objects.select_related("meeting", "author").prefetch_related("publications")
    serializer_class = s.ReflectionSerializer
    filterset_class = f.ReflectionFilterSet


class OutsidePublicationViewSet(ScopedModelViewSet):
    """Reflections published in outside media."""

    queryset = OutsidePublication.objects.select_related("reflection")
    serializer_class = s.OutsidePublicationSerializer
    filterset_class = f.OutsidePublicationFilterSet


class StudentAidViewSet(ScopedModelViewSet):
    """Aid given to registered poor students (建档立卡)."""

    queryset = StudentAid.objects.select_related("student")
    serializer_class = s.StudentAidSerializer
    filterset_class = f.StudentAidFilterSet


class StudentResultViewSet(ScopedModelViewSet):
    """Results followed up for registered poor students (exam scores, admissions)."""

    queryset = StudentResult.objects.select_related("student")
    serializer_class = s.StudentResultSerializer
    filterset_class = f.StudentResultFilterSet


class PoorStudentsView(APIView):
    """The registered poor students of ``?area=`` with their aid totals."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("area", str)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        root = scope_root(request, "education_outreach.view_studentaid")
        if root is None:
            raise PermissionDenied
        students = selectors.poor_students(request.user, root)
        return Response(
            {
                "area": root.code,
                "students": [
                    {
                        "id": student.pk,
                        "name": student.person.name,
                        "student_number": student.student_number,
                        "aid_records": student.aid_count,
                        "aid_total_yuan": str(student.aid_total or 0),
                    }
                    for student in students[:1000]
                ],
            }
        )


class FlagStudentView(APIView):
    """``POST {"student": id, "flag": true|false, "reason": "…"}``: flag a student as registered poor
    or clear the flag (audited with the reason)."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]

    @extend_schema(request=s.FlagSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        body = s.FlagSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        student = access_object(request.user, Student, {"pk": body.validated_data["student"]}, "change")
        student = services.do_set_registered_poor(
            student, flag=body.validated_data["flag"], reason=body.validated_data["reason"], acting_user=request.user
        )
        return Response({"student": student.pk, "is_registered_poor": student.is_registered_poor})


class CoeducationActivityViewSet(ScopedModelViewSet):
    """Home–school–community activities (家校社协同育人)."""

    queryset = CoeducationActivity.objects.select_related("school")
    serializer_class = s.CoeducationActivitySerializer
    filterset_class = f.CoeducationActivityFilterSet
