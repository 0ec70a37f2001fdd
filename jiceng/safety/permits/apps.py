from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPermitsConfig(AppConfig):
    name = "jiceng.safety.permits"
    label = "safety_permits"
    verbose_name = _("Hazardous work permits")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor

    def ready(self) -> None:
        from jiceng.safety.permits import jobs, navigation  # noqa: F401  (registrations)
