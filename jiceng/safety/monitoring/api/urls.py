from rest_framework.routers import SimpleRouter

from jiceng.safety.monitoring.api import views

router = SimpleRouter()
router.register("sources", views.MajorHazardSourceViewSet)
router.register("source-substances", views.HoldingViewSet)
router.register("sensors", views.SensorViewSet)
router.register("gateways", views.GatewayViewSet)
router.register("alarms", views.AlarmViewSet)
router.register("accountable-persons", views.AccountablePersonViewSet)
router.register("source-checks", views.SourceCheckViewSet)
router.register("watcher-shifts", views.WatcherShiftViewSet)
router.register("substances", views.HazardousSubstanceViewSet)

urlpatterns = router.urls
