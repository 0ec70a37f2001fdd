from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyRegistriesConfig(AppConfig):
    name = "jiceng.party.registries"
    label = "party_registries"
    verbose_name = _("Party-building registries")
    jiceng_module = "party"  # one role pair for the whole party module: party_viewer / party_editor

    def ready(self) -> None:
        from jiceng.party.registries import navigation  # noqa: F401  (registration)
