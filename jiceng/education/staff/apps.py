from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationStaffConfig(AppConfig):
    name = "jiceng.education.staff"
    label = "education_staff"
    verbose_name = _("Teachers and rotation")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor

    def ready(self) -> None:
        from jiceng.education.staff import navigation  # noqa: F401  (registrations)
