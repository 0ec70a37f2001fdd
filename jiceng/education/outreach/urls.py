from django.urls import path

from jiceng.education.outreach import views

app_name = "education_outreach"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("consultations/<int:pk>/callback/", views.callback, name="callback"),
    path("coverage/", views.coverage, name="coverage"),
    path("poor-students/", views.poor_students, name="poor_students"),
    path("poor-students/flag/", views.flag_student, name="flag_student"),
    *views.PolicyNoticeViews.urls(),
    *views.ConsultationViews.urls(),
    *views.StudyGroupViews.urls(),
    *views.StudyLogViews.urls(),
    *views.PatrolVisitViews.urls(),
    *views.ClassMeetingViews.urls(),
    *views.ReflectionViews.urls(),
    *views.OutsidePublicationViews.urls(),
    *views.StudentAidViews.urls(),
    *views.StudentResultViews.urls(),
    *views.CoeducationActivityViews.urls(),
]
