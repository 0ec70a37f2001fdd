from django.urls import path

from jiceng.safety.chemicals import views

app_name = "safety_chemicals"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("products/<int:pk>/scan/", views.record_scan, name="record_scan"),
    path("enterprises/<int:enterprise_id>/labels.pdf", views.labels, name="labels"),
    *views.ChemicalProductViews.urls(),
    *views.ProductScanViews.urls(),
]
