from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "jiceng.core.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from jiceng.core.transfer import navigation  # noqa: F401  (registration)
