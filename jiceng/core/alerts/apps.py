from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "jiceng.core.alerts"
    label = "alerts"
    verbose_name = _("Alerts")
    jiceng_module = True  # roles alerts_viewer / alerts_editor

    def ready(self) -> None:
        from jiceng.core.alerts import dashboard, navigation  # noqa: F401
