from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "education",
    _("Education"),
    [
        MenuItem(_("Exchange plans"), "education_staff:rotationplan_list", "education_staff.view_rotationplan"),
        MenuItem(
            _("Exchange assignments"),
            "education_staff:rotationassignment_list",
            "education_staff.view_rotationassignment",
        ),
        MenuItem(_("Teacher recruitment"), "education_staff:recruitment", "education_staff.view_recruitmentpost"),
        MenuItem(_("Mentor pairs"), "education_staff:mentorpair_list", "education_staff.view_mentorpair"),
    ],
    order=400,
)
