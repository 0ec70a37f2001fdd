from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "party",
    _("Party building"),
    [
        MenuItem(_("Points rules"), "party_points:pointsrule_list", "party_points.view_pointsrule"),
        MenuItem(_("Star ratings"), "party_points:starrating_list", "party_points.view_starrating"),
    ],
    order=200,
)
