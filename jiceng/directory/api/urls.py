from rest_framework.routers import SimpleRouter

from jiceng.directory.api import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet)
router.register("units", views.UnitViewSet)
router.register("grids", views.GridViewSet)
router.register("persons", views.PersonViewSet)
router.register("enterprises", views.EnterpriseViewSet)

urlpatterns = router.urls
