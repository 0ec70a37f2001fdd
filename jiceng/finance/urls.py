from django.urls import path

from jiceng.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.watch_list, name="overview"),
    *views.page_urls(),
    *views.BudgetProjectViews.urls(),
    *views.KeyMarkViews.urls(),
    *views.AssetStandardViews.urls(),
]
