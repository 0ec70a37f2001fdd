from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationGroupworkConfig(AppConfig):
    name = "jiceng.education.groupwork"
    label = "education_groupwork"
    verbose_name = _("Group work")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor

    def ready(self) -> None:
        from jiceng.education.groupwork import navigation  # noqa: F401  (registrations)
