from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyMonitoringConfig(AppConfig):
    name = "jiceng.safety.monitoring"
    label = "safety_monitoring"
    verbose_name = _("Major hazard sources and monitoring")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor

    def ready(self) -> None:
        from jiceng.safety.monitoring import jobs, navigation  # noqa: F401  (registrations)
