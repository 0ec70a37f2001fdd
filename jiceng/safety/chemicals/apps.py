from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyChemicalsConfig(AppConfig):
    name = "jiceng.safety.chemicals"
    label = "safety_chemicals"
    verbose_name = _("Hazardous chemicals (one code per enterprise per product)")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor

    def ready(self) -> None:
        from jiceng.safety.chemicals import navigation, publicpages  # noqa: F401  (registrations)
