from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "checklists",
    _("Checklists"),
    [
        MenuItem(_("Campaigns"), "checklists:campaign_list", "checklists.view_campaign"),
        MenuItem(_("Checklist runs"), "checklists:checklistrun_list", "checklists.view_checklistrun"),
    ],
    order=820,
)
