from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceResultsConfig(AppConfig):
    name = "jiceng.finance.results"
    label = "finance_results"
    verbose_name = _("Performance targets and monitoring results")
    jiceng_module = "finance"  # one role pair for the whole finance module: finance_viewer / finance_editor

    def ready(self) -> None:
        from jiceng.core.deadlines.registry import register_deadline_model
        from jiceng.finance.results import dashboard, navigation  # noqa: F401  (registrations)
        from jiceng.finance.results.models import Finding
        from jiceng.finance.results.rules import recompute_deadline
        from jiceng.finance.results.services import finding_moved

        register_deadline_model(Finding, on_moved=finding_moved, recompute=recompute_deadline)
