from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.party.members.api.views import RECORD_VIEWSETS, PartyMemberViewSet, PoolView

router = SimpleRouter()
router.register("members", PartyMemberViewSet)
for prefix, viewset in RECORD_VIEWSETS.items():
    router.register(f"development/{prefix}", viewset, basename=f"development-{prefix}")

urlpatterns = [path("pool/", PoolView.as_view(), name="party-pool"), *router.urls]
