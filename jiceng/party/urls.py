from django.urls import path

from jiceng.party import views

app_name = "party"

urlpatterns = [
    *views.OrgViews.urls(),
    *views.PositionViews.urls(),
    *views.TermViews.urls(),
    path("orgs/<int:pk>/election/", views.record_election, name="record_election"),
    path("findings/", views.findings, name="findings"),
    path("coverage/", views.coverage_page, name="coverage"),
]
