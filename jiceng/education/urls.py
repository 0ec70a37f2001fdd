from django.urls import path

from jiceng.education import views

app_name = "education"

urlpatterns = [
    path("class-sizes/", views.class_sizes, name="class_sizes"),
    path("registry-checks/", views.registry_checks, name="registry_checks"),
    *views.SchoolYearViews.urls(),
    *views.SchoolViews.urls(),
    *views.CampusViews.urls(),
    *views.EducationGroupViews.urls(),
    *views.GroupMembershipViews.urls(),
    *views.TeacherViews.urls(),
    *views.SchoolClassViews.urls(),
    *views.StudentViews.urls(),
    *views.EnrollmentViews.urls(),
]
