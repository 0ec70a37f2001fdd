from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyDuesConfig(AppConfig):
    name = "jiceng.party.dues"
    label = "party_dues"
    verbose_name = _("Party dues and membership status")
    jiceng_module = "party"  # one role pair for the whole party module: party_viewer / party_editor

    def ready(self) -> None:
        from jiceng.party.dues import jobs  # noqa: F401  (registration)
