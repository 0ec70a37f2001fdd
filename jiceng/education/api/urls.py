from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.education.api import views

router = SimpleRouter()
router.register("school-years", views.SchoolYearViewSet)
router.register("schools", views.SchoolViewSet)
router.register("campuses", views.CampusViewSet)
router.register("groups", views.EducationGroupViewSet)
router.register("group-members", views.GroupMembershipViewSet)
router.register("teachers", views.TeacherViewSet)
router.register("classes", views.SchoolClassViewSet)
router.register("students", views.StudentViewSet)
router.register("enrollments", views.EnrollmentViewSet)

urlpatterns = [
    path("registry-checks/", views.RegistryChecksView.as_view(), name="education-registry-checks"),
    *router.urls,
]
