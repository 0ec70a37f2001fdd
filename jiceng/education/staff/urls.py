from django.urls import path

from jiceng.education.staff import views

app_name = "education_staff"

urlpatterns = [
    path("rotation-plans/<int:pk>/generate/", views.generate, name="plan_generate"),
    path("rotation-plans/<int:pk>/approve/", views.approve, name="plan_approve"),
    path("teachers/<int:pk>/rotation/", views.teacher_rotation, name="teacher_rotation"),
    path("recruitment/", views.recruitment, name="recruitment"),
    *views.RotationPlanViews.urls(),
    *views.RotationAssignmentViews.urls(),
    *views.RecruitmentRoundViews.urls(),
    *views.RecruitmentPostViews.urls(),
    *views.MentorPairViews.urls(),
]
