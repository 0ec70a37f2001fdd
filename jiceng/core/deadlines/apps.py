from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "jiceng.core.deadlines"
    label = "deadlines"
    verbose_name = "deadlines"
