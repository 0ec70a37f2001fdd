from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyHazardsConfig(AppConfig):
    name = "jiceng.safety.hazards"
    label = "safety_hazards"
    verbose_name = _("Inspections, hazards and rectification")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor

    def ready(self) -> None:
        from jiceng.core.deadlines.registry import register_deadline_model
        from jiceng.safety.hazards import dashboard, jobs, navigation  # noqa: F401  (registrations)
        from jiceng.safety.hazards.models import Hazard
        from jiceng.safety.hazards.rules import recompute_deadline
        from jiceng.safety.hazards.services import hazard_moved

        register_deadline_model(Hazard, on_moved=hazard_moved, recompute=recompute_deadline)
