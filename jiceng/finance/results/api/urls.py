from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.finance.results.api import views

router = SimpleRouter()
router.register("targets", views.PerformanceTargetViewSet, basename="finance-results-target")
router.register("target-reports", views.TargetReportViewSet, basename="finance-results-target-report")
router.register("findings", views.FindingViewSet, basename="finance-results-finding")
router.register("idle-fund-warnings", views.IdleFundWarningViewSet, basename="finance-results-idle-warning")
router.register("reports", views.MonitoringReportViewSet, basename="finance-results-report")
router.register("review-notes", views.ReviewNoteViewSet, basename="finance-results-review-note")

urlpatterns = [
    path("deviations/", views.DeviationsView.as_view(), name="finance-results-deviations"),
    path("target-summary/", views.TargetSummaryView.as_view(), name="finance-results-target-summary"),
    *router.urls,
]
