from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "jiceng.core.video"
    label = "video"
    verbose_name = _("Video evidence")
    jiceng_module = True  # roles video_viewer / video_editor

    def ready(self) -> None:
        from jiceng.core.video import dashboard, navigation  # noqa: F401  (registration)
        from jiceng.core.video.detectors import builtin, onnx

        builtin.register_builtin_detectors()
        onnx.register_configured_models()
