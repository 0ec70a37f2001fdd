from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    name = "jiceng.core.checklists"
    label = "checklists"
    verbose_name = "checklists"
