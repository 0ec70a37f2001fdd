from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "jiceng.core.workflow"
    label = "workflow"
    verbose_name = "workflow"
