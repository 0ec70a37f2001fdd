from django.urls import path

from jiceng.party.dues import views

app_name = "party_dues"

urlpatterns = [
    path("orgs/<int:pk>/", views.branch_sheet, name="branch_sheet"),
    path("orgs/<int:pk>/hours/", views.branch_hours, name="branch_hours"),
    path("members/<int:pk>/", views.member_ledger, name="member_ledger"),
]
