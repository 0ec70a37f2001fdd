from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "publicpages",
    _("Public pages"),
    [MenuItem(_("QR public pages"), "publicpages:publicpage_list", "publicpages.view_publicpage")],
    order=810,
)
