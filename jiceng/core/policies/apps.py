from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "jiceng.core.policies"
    label = "policies"
    verbose_name = "policies"
