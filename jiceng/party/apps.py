from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JicengPartyConfig(AppConfig):
    name = "jiceng.party"
    label = "party"
    verbose_name = _("Party organisations")
    jiceng_module = "party"  # one role pair for the whole party module: party_viewer / party_editor

    def ready(self) -> None:
        from jiceng.party import dashboard, navigation  # noqa: F401  (registrations)
