from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "party",
    _("Party building"),
    [
        MenuItem(_("Party members"), "party_members:partymember_list", "party_members.view_partymember"),
        MenuItem(_("Member development reserve pool"), "party_members:pool", "party_members.view_partymember"),
        MenuItem(
            _("New-member mentor pairings"), "party_members:mentorpairing_list", "party_members.view_mentorpairing"
        ),
    ],
    order=200,
)
