from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.education.outreach.api import views

router = SimpleRouter()
router.register("policy-notices", views.PolicyNoticeViewSet)
router.register("consultations", views.ConsultationViewSet)
router.register("study-groups", views.StudyGroupViewSet)
router.register("study-logs", views.StudyLogViewSet)
router.register("patrol-visits", views.PatrolVisitViewSet)
router.register("class-meetings", views.ClassMeetingViewSet)
router.register("reflections", views.ReflectionViewSet)
router.register("reflection-publications", views.OutsidePublicationViewSet)
router.register("student-aid", views.StudentAidViewSet)
router.register("student-results", views.StudentResultViewSet)
router.register("activities", views.CoeducationActivityViewSet)

urlpatterns = [
    path("consultation-figures/", views.ConsultationFiguresView.as_view(), name="education-consultation-figures"),
    path("study-group-coverage/", views.StudyGroupCoverageView.as_view(), name="education-study-group-coverage"),
    path("poor-students/", views.PoorStudentsView.as_view(), name="education-poor-students"),
    path("poor-students/flag/", views.FlagStudentView.as_view(), name="education-poor-students-flag"),
    *router.urls,
]
