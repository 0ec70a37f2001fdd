from rest_framework.routers import SimpleRouter

from jiceng.education.staff.api import views

router = SimpleRouter()
router.register("rotation-plans", views.RotationPlanViewSet)
router.register("rotation-assignments", views.RotationAssignmentViewSet)
router.register("recruitment-rounds", views.RecruitmentRoundViewSet)
router.register("recruitment-posts", views.RecruitmentPostViewSet)
router.register("mentor-pairs", views.MentorPairViewSet)

urlpatterns = [*router.urls]
