from django.urls import path

from jiceng.safety.training import views

app_name = "safety_training"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("enterprises/<int:pk>/", views.ledger, name="ledger"),
    path("broadcasts/<int:pk>/withdraw/", views.withdraw, name="broadcast_withdraw"),
    path("ads/<int:pk>/image/", views.ad_image, name="ad_image"),
    *views.TrainingSessionViews.urls(),
    *views.ExamViews.urls(),
    *views.SpotTestViews.urls(),
    *views.SpotTestResultViews.urls(),
    *views.CertificateCheckViews.urls(),
    *views.PublicityActivityViews.urls(),
    *views.BroadcastViews.urls(),
    *views.PublicServiceAdViews.urls(),
    *views.TrainingCampaignViews.urls(),
]
