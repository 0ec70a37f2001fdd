from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "finance",
    _("Finance"),
    [
        MenuItem(_("Finance bureau watch list"), "finance:watchlist", "finance.view_budgetproject"),
        MenuItem(_("Budget projects"), "finance:budgetproject_list", "finance.view_budgetproject"),
        MenuItem(_("Irregularity flags"), "finance:flags", "finance.view_budgetproject"),
        MenuItem(_("Department key projects"), "finance:keymark_list", "finance.view_keymark"),
        MenuItem(_("Asset allocation standards"), "finance:assetstandard_list", "finance.view_assetstandard"),
    ],
    order=500,
)
