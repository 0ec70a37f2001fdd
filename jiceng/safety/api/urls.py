from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.safety.api import views

router = SimpleRouter()
router.register("enterprises", views.SafetyProfileViewSet)
router.register("installations", views.InstallationViewSet)
router.register("stationings", views.StationingViewSet)
router.register("guidance-logs", views.GuidanceLogViewSet)
router.register("sectors", views.SafetySectorViewSet)

urlpatterns = [
    path("stationing-coverage/", views.StationingCoverageView.as_view(), name="safety-stationing-coverage"),
    *router.urls,
]
