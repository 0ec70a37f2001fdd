from django.urls import path

from jiceng.core.alerts import views

app_name = "alerts"

urlpatterns = [
    *views.AlertViews.urls(),
    path("alerts/<int:pk>/<str:action>/", views.AlertActionView.as_view(), name="alert_action"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
