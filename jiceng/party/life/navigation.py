from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "party",
    _("Party building"),
    [
        MenuItem(_("Meetings and activities"), "party_life:meeting_list", "party_life.view_meeting"),
        MenuItem(_("Organisational-life compliance"), "party_life:matrix", "party_life.view_meeting"),
    ],
    order=200,
)
