from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "jiceng.core.policies"
    label = "policies"
    verbose_name = _("Policies")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from jiceng.core.policies import navigation  # noqa: F401  (menu registration)
        from jiceng.core.policies.models import Policy
        from jiceng.core.policies.services import policy_written

        post_save.connect(policy_written, sender=Policy, dispatch_uid="policies.cache.save")
        post_delete.connect(policy_written, sender=Policy, dispatch_uid="policies.cache.delete")
