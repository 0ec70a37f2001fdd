from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.party.life.api.views import ComplianceView, MeetingViewSet

router = SimpleRouter()
router.register("meetings", MeetingViewSet)

urlpatterns = [path("compliance/", ComplianceView.as_view(), name="party-compliance"), *router.urls]
