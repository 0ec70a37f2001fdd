from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "finance",
    _("Finance"),
    [
        MenuItem(_("Monitoring results"), "finance_results:dashboard", "finance_results.view_finding"),
        MenuItem(
            _("Performance targets"), "finance_results:performancetarget_list", "finance_results.view_performancetarget"
        ),
        MenuItem(_("Target deviations"), "finance_results:deviations", "finance_results.view_performancetarget"),
        MenuItem(_("Mid-year summary of targets"), "finance_results:summary", "finance_results.view_performancetarget"),
        MenuItem(_("Findings and rectification"), "finance_results:finding_list", "finance_results.view_finding"),
        MenuItem(
            _("Idle-fund warnings"), "finance_results:idlefundwarning_list", "finance_results.view_idlefundwarning"
        ),
        MenuItem(
            _("Monitoring reports"), "finance_results:monitoringreport_list", "finance_results.view_monitoringreport"
        ),
        MenuItem(_("Next year's budget review"), "finance_results:review", "finance_results.view_reviewnote"),
    ],
    order=500,
)
