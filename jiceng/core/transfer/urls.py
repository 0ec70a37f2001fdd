from django.urls import path

from jiceng.core.transfer import views

app_name = "transfer"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/errors.xlsx", views.error_workbook, name="error_workbook"),
    path("<slug:key>/", views.upload, name="upload"),
    path("<slug:key>/template.xlsx", views.template, name="template"),
]
