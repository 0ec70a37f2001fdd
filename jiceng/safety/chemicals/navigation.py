from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "safety",
    _("Work safety"),
    [
        MenuItem(_("Chemical registration"), "safety_chemicals:overview", "safety_chemicals.view_chemicalproduct"),
        MenuItem(
            _("Chemical products"), "safety_chemicals:chemicalproduct_list", "safety_chemicals.view_chemicalproduct"
        ),
        MenuItem(_("Product code scans"), "safety_chemicals:productscan_list", "safety_chemicals.view_productscan"),
    ],
    order=300,
)
