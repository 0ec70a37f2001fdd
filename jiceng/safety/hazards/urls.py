from django.urls import path

from jiceng.safety.hazards import views

app_name = "safety_hazards"

urlpatterns = [
    path("", views.overview, name="overview"),
    *views.HazardViews.urls(),
    *views.InspectionViews.urls(),
    *views.InspectionRecordingViews.urls(),
    *views.SafetyCampaignViews.urls(),
    *views.CampaignTargetViews.urls(),
    *views.hazard_urls(),
]
