from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "jiceng.core.alerts"
    label = "alerts"
    verbose_name = "alerts"
