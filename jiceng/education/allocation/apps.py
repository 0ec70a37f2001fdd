from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationAllocationConfig(AppConfig):
    name = "jiceng.education.allocation"
    label = "education_allocation"
    verbose_name = _("Catchment allocation")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor

    def ready(self) -> None:
        from jiceng.education.allocation import navigation  # noqa: F401  (registrations)
