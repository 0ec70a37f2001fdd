from rest_framework.routers import SimpleRouter

from jiceng.education.allocation.api import views

router = SimpleRouter()
router.register("catchment-zones", views.CatchmentZoneViewSet)
router.register("enrolment-plans", views.EnrolmentPlanViewSet)
router.register("intake-records", views.IntakeRecordViewSet)
router.register("allocations", views.AllocationRunViewSet)

urlpatterns = router.urls
