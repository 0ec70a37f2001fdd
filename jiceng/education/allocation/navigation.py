from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "education",
    _("Education"),
    [
        MenuItem(
            _("Catchment zones"), "education_allocation:catchmentzone_list", "education_allocation.view_catchmentzone"
        ),
        MenuItem(
            _("Enrolment plans"), "education_allocation:enrolmentplan_list", "education_allocation.view_enrolmentplan"
        ),
        MenuItem(
            _("Allocation runs"), "education_allocation:allocationrun_list", "education_allocation.view_allocationrun"
        ),
        MenuItem(
            _("Rural intake trends"), "education_allocation:intake_trends", "education_allocation.view_intakerecord"
        ),
    ],
    order=400,
)
