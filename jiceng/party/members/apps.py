from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyMembersConfig(AppConfig):
    name = "jiceng.party.members"
    label = "party_members"
    verbose_name = _("Party members and development")
    jiceng_module = "party"  # one role pair for the whole party module: party_viewer / party_editor

    def ready(self) -> None:
        from jiceng.party.members import jobs, navigation  # noqa: F401  (registrations)
