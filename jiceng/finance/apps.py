from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JicengFinanceConfig(AppConfig):
    name = "jiceng.finance"
    label = "finance"
    verbose_name = _("Finance")
    jiceng_module = "finance"  # one role pair for the whole finance module: finance_viewer / finance_editor

    def ready(self) -> None:
        from jiceng.finance import dashboard, navigation  # noqa: F401  (registrations)
