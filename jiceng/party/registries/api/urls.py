from rest_framework.routers import SimpleRouter

from jiceng.party.registries.api.views import VIEWSETS

router = SimpleRouter()
for slug, viewset in VIEWSETS.items():
    router.register(slug, viewset, basename=slug)

urlpatterns = router.urls
