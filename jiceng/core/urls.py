from django.urls import path

from jiceng.core.views import pages

app_name = "core"

urlpatterns = [
    path("dashboard/", pages.dashboard, name="dashboard"),
]
