from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EducationOutreachConfig(AppConfig):
    name = "jiceng.education.outreach"
    label = "education_outreach"
    verbose_name = _("Consultation and outreach")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor
