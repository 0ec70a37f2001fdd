from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.safety.api import views

router = SimpleRouter()
router.register("enterprises", views.SafetyProfileViewSet)
router.register("installations", views.InstallationViewSet)
router.register("resident-supervisions", views.ResidentSupervisionViewSet)
router.register("guidance-logs", views.GuidanceLogViewSet)
router.register("sectors", views.SafetySectorViewSet)

urlpatterns = [
    path(
        "resident-supervision-coverage/",
        views.ResidentSupervisionCoverageView.as_view(),
        name="safety-resident-supervision-coverage",
    ),
    *router.urls,
]
