from django.urls import path

from jiceng.core.workflow import views

app_name = "workflow"

urlpatterns = [
    path("history/<str:object_type>/<str:object_id>/", views.TransitionHistoryView.as_view(), name="history"),
]
