from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "jiceng.core.checklists"
    label = "checklists"
    verbose_name = _("Checklists")
    jiceng_module = True  # roles checklists_viewer / checklists_editor

    def ready(self) -> None:
        from jiceng.core.checklists import navigation  # noqa: F401  (registration)
