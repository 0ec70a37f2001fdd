from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "jiceng.core.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from jiceng.core.deadlines.calendar import calendar_written
        from jiceng.core.deadlines.models import CalendarDay, HolidaySchedule, Reminder
        from jiceng.core.deadlines.registry import register_deadline_model
        from jiceng.core.deadlines.services import reminder_moved, reminder_recompute

        for model in (HolidaySchedule, CalendarDay):
            post_save.connect(calendar_written, sender=model, dispatch_uid=f"calendar.cache.save.{model.__name__}")
            post_delete.connect(calendar_written, sender=model, dispatch_uid=f"calendar.cache.delete.{model.__name__}")
        register_deadline_model(Reminder, on_moved=reminder_moved, recompute=reminder_recompute)
