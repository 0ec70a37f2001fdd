from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "party",
    _("Party building"),
    [
        MenuItem(_("Party organisations"), "party:partyorg_list", "party.view_partyorg"),
        MenuItem(_("Set-up findings"), "party:findings", "party.view_partyorg"),
        MenuItem(_("Terms due for re-election"), "party:orgterm_list", "party.view_orgterm"),
        MenuItem(_("Positions"), "party:orgposition_list", "party.view_orgposition"),
        MenuItem(_("Party coverage of enterprises"), "party:coverage", "party.view_partyorg"),
    ],
    order=200,
)
