from django.urls import path

from jiceng.core.views import pages, search

app_name = "core"

urlpatterns = [
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("search/", search.search, name="search"),
]
