from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.safety.chemicals.api import views

router = SimpleRouter()
router.register("products", views.ChemicalProductViewSet)
router.register("product-scans", views.ProductScanViewSet)

urlpatterns = [
    path(
        "chemical-registration/",
        views.RegistrationCompletionView.as_view(),
        name="safety-chemical-registration",
    ),
    *router.urls,
]
