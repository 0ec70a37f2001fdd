from django.utils.translation import gettext_lazy as _

from jiceng.core.navigation import MenuItem, register_menu

register_menu(
    "education",
    _("Education"),
    [
        MenuItem(_("Schools"), "education:school_list", "education.view_school"),
        MenuItem(_("Education groups"), "education:educationgroup_list", "education.view_educationgroup"),
        MenuItem(_("Teachers"), "education:teacher_list", "education.view_teacher"),
        MenuItem(_("Classes"), "education:schoolclass_list", "education.view_schoolclass"),
        MenuItem(_("Class sizes"), "education:class_sizes", "education.view_schoolclass"),
        MenuItem(_("Students"), "education:student_list", "education.view_student"),
        MenuItem(_("Registration checks"), "education:registry_checks", "education.view_student"),
        MenuItem(_("School years"), "education:schoolyear_list", "education.view_schoolyear"),
    ],
    order=400,
)
