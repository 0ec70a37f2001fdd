from rest_framework.routers import SimpleRouter

from jiceng.core.publicpages.api.views import PublicPageViewSet

router = SimpleRouter()
router.register("public-pages", PublicPageViewSet)

urlpatterns = router.urls
