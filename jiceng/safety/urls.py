from django.urls import path

from jiceng.safety import views

app_name = "safety"

urlpatterns = [
    path("", views.overview, name="overview"),
    *views.SafetyProfileViews.urls(),
    *views.InstallationViews.urls(),
    *views.ResidentSupervisionViews.urls(),
    *views.GuidanceLogViews.urls(),
    *views.SafetySectorViews.urls(),
]
