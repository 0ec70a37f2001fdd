from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jiceng.core.jobs"
    label = "jobs"
    verbose_name = "jobs"

    def ready(self) -> None:
        # Register every app's jobs (modules named ``jobs``) so workers and the schedule know them.
        autodiscover_modules("jobs")
