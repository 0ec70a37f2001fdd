from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.safety.training.api import views

router = SimpleRouter()
router.register("trainings", views.TrainingSessionViewSet, basename="safety-training")
router.register("exams", views.ExamViewSet, basename="safety-exam")
router.register("spot-tests", views.SpotTestViewSet, basename="safety-spot-test")
router.register("spot-test-results", views.SpotTestResultViewSet, basename="safety-spot-test-result")
router.register("certificate-checks", views.CertificateCheckViewSet, basename="safety-certificate-check")
router.register("publicity", views.PublicityActivityViewSet, basename="safety-publicity")
router.register("broadcasts", views.BroadcastViewSet, basename="safety-broadcast")
router.register("public-service-ads", views.PublicServiceAdViewSet, basename="safety-public-service-ad")
router.register("training-campaigns", views.TrainingCampaignViewSet, basename="safety-training-campaign")

urlpatterns = [
    path("training-figures/", views.TrainingFiguresView.as_view(), name="safety-training-figures"),
    path("spot-test-figures/", views.SpotTestFiguresView.as_view(), name="safety-spot-test-figures"),
    path("certificate-check-figures/", views.CertificateFiguresView.as_view(), name="safety-certificate-figures"),
    path("publicity-figures/", views.PublicityFiguresView.as_view(), name="safety-publicity-figures"),
    *router.urls,
]
