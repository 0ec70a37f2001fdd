from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceResultsConfig(AppConfig):
    name = "jiceng.finance.results"
    label = "finance_results"
    verbose_name = _("Performance targets and monitoring results")
    jiceng_module = "finance"  # one role pair for the whole finance module: finance_viewer / finance_editor
