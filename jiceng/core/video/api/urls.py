from rest_framework.routers import SimpleRouter

from jiceng.core.video.api.views import CameraViewSet, DetectionViewSet, SnapshotViewSet

router = SimpleRouter()
router.register("video/cameras", CameraViewSet, basename="video-camera")
router.register("video/detections", DetectionViewSet, basename="video-detection")
router.register("video/snapshots", SnapshotViewSet, basename="video-snapshot")

urlpatterns = router.urls
