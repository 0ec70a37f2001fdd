from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JicengEducationConfig(AppConfig):
    name = "jiceng.education"
    label = "education"
    verbose_name = _("Education")
    jiceng_module = "education"  # one role pair for the whole education module: education_viewer / education_editor

    def ready(self) -> None:
        from jiceng.education import dashboard, navigation  # noqa: F401  (registrations)
