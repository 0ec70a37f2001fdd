from django.urls import path

from jiceng.party.members import views

app_name = "party_members"

urlpatterns = [
    *views.MemberViews.urls(),
    *views.PairingViews.urls(),
    path("members/<int:pk>/transition/", views.transition, name="transition"),
    path("pool/", views.pool, name="pool"),
]
