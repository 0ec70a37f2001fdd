from rest_framework.routers import SimpleRouter

from jiceng.core.alerts.api.views import AlertViewSet

router = SimpleRouter()
router.register("alerts", AlertViewSet)

urlpatterns = router.urls
