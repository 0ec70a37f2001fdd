from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.finance.api import views

router = SimpleRouter()
router.register("projects", views.BudgetProjectViewSet)
router.register("adjustments", views.BudgetAdjustmentViewSet)
router.register("disbursements", views.DisbursementViewSet)
router.register("spending", views.SpendingViewSet)
router.register("carry-overs", views.CarryOverForecastViewSet)
router.register("asset-standards", views.AssetStandardViewSet)
router.register("asset-purchases", views.AssetPurchaseViewSet)
router.register("key-marks", views.KeyMarkViewSet)

urlpatterns = [
    path("watchlist/", views.WatchListView.as_view(), name="finance-watchlist"),
    path("flags/", views.FlagsView.as_view(), name="finance-flags"),
    *router.urls,
]
