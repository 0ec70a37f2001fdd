from rest_framework.routers import SimpleRouter

from jiceng.education.transfers.api import views

router = SimpleRouter()
router.register("transfers", views.TransferViewSet, basename="education-transfer")

urlpatterns = [*router.urls]
