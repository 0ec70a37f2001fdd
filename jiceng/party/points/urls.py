from django.urls import path

from jiceng.party.points import views

app_name = "party_points"

urlpatterns = [
    *views.RuleViews.urls(),
    *views.RatingViews.urls(),
    path("orgs/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("mine/", views.my_points, name="my_points"),
]
