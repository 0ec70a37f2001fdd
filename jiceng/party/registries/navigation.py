from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "party",
    _("Party building"),
    [MenuItem(_("Party-building registries"), "party_registries:index", "party_registries.view_firstsecretary")],
    order=200,
)
