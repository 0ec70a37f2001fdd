from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "jiceng.core.scoring"
    label = "scoring"
    verbose_name = "scoring"
