from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyHazardsConfig(AppConfig):
    name = "jiceng.safety.hazards"
    label = "safety_hazards"
    verbose_name = _("Inspections, hazards and rectification")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor
