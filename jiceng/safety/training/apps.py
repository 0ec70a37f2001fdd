from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyTrainingConfig(AppConfig):
    name = "jiceng.safety.training"
    label = "safety_training"
    verbose_name = _("Safety training, spot tests and publicity")
    jiceng_module = "safety"  # one role pair for the whole safety module: safety_viewer / safety_editor

    def ready(self) -> None:
        from jiceng.safety.training import dashboard, jobs, navigation  # noqa: F401  (registrations)
