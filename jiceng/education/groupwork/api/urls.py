from rest_framework.routers import SimpleRouter

from jiceng.education.groupwork.api import views

router = SimpleRouter()
router.register("group-plans", views.GroupPlanViewSet, basename="education-groupwork-plan")
router.register("diagnosis-visits", views.DiagnosisVisitViewSet, basename="education-groupwork-visit")
router.register("research-days", views.ResearchDayViewSet, basename="education-groupwork-research-day")
router.register("resources", views.CourseResourceViewSet, basename="education-groupwork-resource")
router.register("fund-allocations", views.FundAllocationViewSet, basename="education-groupwork-allocation")
router.register("fund-spendings", views.FundSpendingViewSet, basename="education-groupwork-spending")
router.register("building-projects", views.BuildingProjectViewSet, basename="education-groupwork-project")

urlpatterns = [*router.urls]
