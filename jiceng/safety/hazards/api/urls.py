from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.safety.hazards.api import views

router = SimpleRouter()
router.register("hazards", views.HazardViewSet, basename="safety-hazards-hazard")
router.register("inspections", views.InspectionViewSet, basename="safety-hazards-inspection")
router.register("recordings", views.InspectionRecordingViewSet, basename="safety-hazards-recording")
router.register("rectification-plans", views.RectificationPlanViewSet, basename="safety-hazards-plan")
router.register("rectification-evidence", views.RectificationEvidenceViewSet, basename="safety-hazards-evidence")
router.register("verifications", views.VerificationViewSet, basename="safety-hazards-verification")
router.register("campaigns", views.SafetyCampaignViewSet, basename="safety-hazards-campaign")
router.register("campaign-groups", views.TargetGroupViewSet, basename="safety-hazards-group")
router.register("campaign-targets", views.CampaignTargetViewSet, basename="safety-hazards-target")

urlpatterns = [
    path("zeroing/", views.ZeroingView.as_view(), name="safety-hazards-zeroing"),
    *router.urls,
]
