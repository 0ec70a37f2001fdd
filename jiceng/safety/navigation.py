from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "safety",
    _("Work safety"),
    [
        MenuItem(_("Supervision overview"), "safety:overview", "safety.view_safetyprofile"),
        MenuItem(_("Enterprises under supervision"), "safety:safetyprofile_list", "safety.view_safetyprofile"),
        MenuItem(
            _("Resident supervision roster"), "safety:residentsupervision_list", "safety.view_residentsupervision"
        ),
        MenuItem(_("Guidance logs"), "safety:guidancelog_list", "safety.view_guidancelog"),
        MenuItem(_("Installations"), "safety:installation_list", "safety.view_installation"),
    ],
    order=300,
)
