from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicpagesConfig(AppConfig):
    name = "jiceng.core.publicpages"
    label = "publicpages"
    verbose_name = _("Public pages")
    jiceng_module = True  # roles publicpages_viewer / publicpages_editor

    def ready(self) -> None:
        from jiceng.core.publicpages import navigation  # noqa: F401  (registration)
