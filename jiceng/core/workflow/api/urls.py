from rest_framework.routers import SimpleRouter

from jiceng.core.workflow.api.views import TransitionLogViewSet

router = SimpleRouter()
router.register("transitions", TransitionLogViewSet)

urlpatterns = router.urls
