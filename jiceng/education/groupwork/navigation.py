from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "education",
    _("Education"),
    [
        MenuItem(_("Group work"), "education_groupwork:overview", "education.view_educationgroup"),
        MenuItem(_("Group plans"), "education_groupwork:groupplan_list", "education_groupwork.view_groupplan"),
        MenuItem(
            _("Teaching-diagnosis visits"),
            "education_groupwork:diagnosisvisit_list",
            "education_groupwork.view_diagnosisvisit",
        ),
        MenuItem(_("Research days"), "education_groupwork:researchday_list", "education_groupwork.view_researchday"),
        MenuItem(
            _("Shared course resources"),
            "education_groupwork:courseresource_list",
            "education_groupwork.view_courseresource",
        ),
        MenuItem(_("Group fund"), "education_groupwork:fundallocation_list", "education_groupwork.view_fundallocation"),
        MenuItem(
            _("School-building projects"),
            "education_groupwork:buildingproject_list",
            "education_groupwork.view_buildingproject",
        ),
    ],
    order=400,
)
