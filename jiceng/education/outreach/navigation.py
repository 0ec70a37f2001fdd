from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "education",
    _("Education"),
    [
        MenuItem(_("Consultation dashboard"), "education_outreach:dashboard", "education_outreach.view_consultation"),
        MenuItem(
            _("Enrolment consultations"), "education_outreach:consultation_list", "education_outreach.view_consultation"
        ),
        MenuItem(
            _("Enrolment policy notices"),
            "education_outreach:policynotice_list",
            "education_outreach.view_policynotice",
        ),
        MenuItem(_("Study groups"), "education_outreach:studygroup_list", "education_outreach.view_studygroup"),
        MenuItem(_("Study-group coverage"), "education_outreach:coverage", "education_outreach.view_studygroup"),
        MenuItem(
            _("Theme class meetings"), "education_outreach:classmeeting_list", "education_outreach.view_classmeeting"
        ),
        MenuItem(_("Reflections"), "education_outreach:reflection_list", "education_outreach.view_reflection"),
        MenuItem(
            _("Registered poor students"), "education_outreach:poor_students", "education_outreach.view_studentaid"
        ),
        MenuItem(
            _("Home–school–community activities"),
            "education_outreach:coeducationactivity_list",
            "education_outreach.view_coeducationactivity",
        ),
    ],
    order=400,
)
