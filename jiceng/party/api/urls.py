from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.party.api.views import CoverageView, OrgViewSet, PositionViewSet, TermViewSet

router = SimpleRouter()
router.register("orgs", OrgViewSet)
router.register("positions", PositionViewSet)
router.register("terms", TermViewSet)

urlpatterns = [path("coverage/", CoverageView.as_view(), name="party-coverage"), *router.urls]
