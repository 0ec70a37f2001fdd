from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationTransfersConfig(AppConfig):
    name = "jiceng.education.transfers"
    label = "education_transfers"
    verbose_name = _("Transfers")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor

    def ready(self) -> None:
        from jiceng.education.transfers import navigation  # noqa: F401  (registrations)
