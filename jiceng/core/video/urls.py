from django.urls import path

from jiceng.core.video import views

app_name = "video"

urlpatterns = [
    *views.CameraViews.urls(),
    *views.DetectionViews.urls(),
    *views.SnapshotViews.urls(),
    path("cameras/<int:pk>/capture/", views.capture_now, name="camera_capture"),
    path("detections/<int:pk>/handle/", views.handle_detection, name="detection_handle"),
    path("detections/<int:pk>/annotated.jpg", views.annotated_frame, name="detection_annotated"),
    path("snapshots/<int:pk>/frame.jpg", views.snapshot_frame, name="snapshot_frame"),
]
