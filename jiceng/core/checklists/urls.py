from django.urls import path

from jiceng.core.checklists import views

app_name = "checklists"

urlpatterns = [
    *views.CampaignViews.urls(),
    *views.RunViews.urls(),
    path("campaigns/<int:pk>/completion/", views.campaign_completion, name="campaign_completion"),
    path("items/<int:pk>/mark/", views.mark_item, name="mark_item"),
]
