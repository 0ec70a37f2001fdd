from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JicengSafetyConfig(AppConfig):
    name = "jiceng.safety"
    label = "safety"
    verbose_name = _("Work safety")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor

    def ready(self) -> None:
        from jiceng.safety import dashboard, jobs, navigation  # noqa: F401  (registrations)
