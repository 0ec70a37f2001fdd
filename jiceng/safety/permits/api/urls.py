from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.safety.permits.api import views

router = SimpleRouter()
router.register("permits", views.WorkPermitViewSet)
router.register("operation-reports", views.OperationReportViewSet)

urlpatterns = [
    path(
        "operation-distribution/",
        views.OperationDistributionView.as_view(),
        name="safety-operation-distribution",
    ),
    *router.urls,
]
