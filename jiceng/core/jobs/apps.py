from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jiceng.core.jobs"
    label = "jobs"
    verbose_name = "jobs"
