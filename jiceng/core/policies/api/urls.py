from rest_framework.routers import SimpleRouter

from jiceng.core.policies.api.views import PolicyViewSet

router = SimpleRouter()
router.register("policies", PolicyViewSet, basename="policy")

urlpatterns = router.urls
