from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "video",
    _("Video supervision"),
    [
        MenuItem(_("Detections"), "video:detection_list", "video.view_detection"),
        MenuItem(_("Cameras"), "video:camera_list", "video.view_camera"),
        MenuItem(_("Snapshots"), "video:snapshot_list", "video.view_snapshot"),
    ],
    order=830,
)
