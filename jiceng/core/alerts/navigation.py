from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "alerts",
    _("Alerts"),
    [
        MenuItem(_("Alerts"), "alerts:alert_list", "alerts.view_alert"),
        MenuItem(_("My notifications"), "alerts:notifications"),
    ],
    order=20,
)
