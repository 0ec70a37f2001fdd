from django.urls import path

from jiceng.party.registries import views

app_name = "party_registries"

urlpatterns = [
    path("", views.index, name="index"),
    path("contests/<int:pk>/ranking/", views.contest_ranking, name="contest_ranking"),
    *[pattern for registry in views.VIEWS for pattern in registry.urls()],
]
