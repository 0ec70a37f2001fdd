from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "jiceng.core.transfer"
    label = "transfer"
    verbose_name = "transfer"
