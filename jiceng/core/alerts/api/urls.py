from rest_framework.routers import SimpleRouter

from jiceng.core.alerts.api.views import AlertViewSet, NotificationViewSet

router = SimpleRouter()
router.register("alerts", AlertViewSet)
router.register("notifications", NotificationViewSet)

urlpatterns = router.urls
