from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "policies",
    _("Rules and calendar"),
    [
        MenuItem(_("Policies"), "policies:policy_list", "policies.view_policy"),
        MenuItem(_("Holiday schedules"), "deadlines:holidayschedule_list", "deadlines.view_holidayschedule"),
        MenuItem(_("Reminders"), "deadlines:reminder_list", "deadlines.view_reminder"),
    ],
    order=90,
)
