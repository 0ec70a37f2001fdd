from django.urls import path

from jiceng.core.publicpages import views

app_name = "publicpages"

urlpatterns = [
    *views.PublicPageViews.urls(),
    path("labels.pdf", views.labels, name="labels"),
    path("publish/<str:app_label>/<str:model_name>/<int:pk>/", views.publish, name="publish"),
    path("pages/<int:pk>/revoke/", views.revoke, name="revoke"),
]
