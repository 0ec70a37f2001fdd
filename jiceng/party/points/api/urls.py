from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.party.points.api.views import AppealViewSet, GradeView, PointsViewSet, StarRatingViewSet

router = SimpleRouter()
router.register("points", PointsViewSet)
router.register("points-appeals", AppealViewSet)
router.register("star-ratings", StarRatingViewSet)

urlpatterns = [path("members/<int:pk>/grade/", GradeView.as_view(), name="party-member-grade"), *router.urls]
