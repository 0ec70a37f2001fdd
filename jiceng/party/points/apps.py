from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyPointsConfig(AppConfig):
    name = "jiceng.party.points"
    label = "party_points"
    verbose_name = _("Party points and star ratings")
    jiceng_module = "party"  # one role pair for the whole party module: party_viewer / party_editor

    def ready(self) -> None:
        from jiceng.party.points import navigation, publicpages  # noqa: F401  (registrations)
