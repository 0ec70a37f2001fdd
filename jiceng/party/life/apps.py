from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyLifeConfig(AppConfig):
    name = "jiceng.party.life"
    label = "party_life"
    verbose_name = _("Organisational life")
    jiceng_module = "party"  # one role pair for the whole party module: party_viewer / party_editor

    def ready(self) -> None:
        from jiceng.party.life import jobs, navigation  # noqa: F401  (registrations)
