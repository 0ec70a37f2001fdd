from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "safety",
    _("Work safety"),
    [
        MenuItem(_("Open permits"), "safety_permits:board", "safety_permits.view_workpermit"),
        MenuItem(_("Work permits"), "safety_permits:workpermit_list", "safety_permits.view_workpermit"),
        MenuItem(
            _("Hazardous operation reports"),
            "safety_permits:operationreport_list",
            "safety_permits.view_operationreport",
        ),
        MenuItem(
            _("Distribution of hazardous operations"),
            "safety_permits:distribution",
            "safety_permits.view_operationreport",
        ),
    ],
    order=300,
)
