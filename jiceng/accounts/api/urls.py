from rest_framework.routers import SimpleRouter

from jiceng.accounts.api import views

router = SimpleRouter()
router.register("users", views.UserViewSet)

urlpatterns = router.urls
