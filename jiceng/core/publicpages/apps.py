from django.apps import AppConfig


class PublicpagesConfig(AppConfig):
    name = "jiceng.core.publicpages"
    label = "publicpages"
    verbose_name = "publicpages"
