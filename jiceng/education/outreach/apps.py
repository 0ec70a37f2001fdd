from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationOutreachConfig(AppConfig):
    name = "jiceng.education.outreach"
    label = "education_outreach"
    verbose_name = _("Consultation and outreach")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor

    def ready(self) -> None:
        from jiceng.core.deadlines.registry import register_deadline_model
        from jiceng.education.outreach import navigation, publicpages  # noqa: F401  (registrations)
        from jiceng.education.outreach.models import Consultation
        from jiceng.education.outreach.services import consultation_moved, recompute_callback_deadline

        register_deadline_model(Consultation, on_moved=consultation_moved, recompute=recompute_callback_deadline)
