from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "jiceng.directory"
    label = "directory"
    verbose_name = _("Directory")
    jiceng_module = True

    def ready(self) -> None:
        from jiceng.directory import dashboard, navigation, publicpages, transfer  # noqa: F401  (registrations)
