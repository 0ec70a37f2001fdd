from django.urls import path

from jiceng.party.life import views

app_name = "party_life"

urlpatterns = [
    *views.MeetingViews.urls(),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("orgs/<int:pk>/compliance/", views.org_compliance, name="org_compliance"),
    path("compliance/", views.matrix, name="matrix"),
]
