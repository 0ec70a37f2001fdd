from django.urls import path

from jiceng.core.deadlines import views

app_name = "deadlines"

urlpatterns = [
    path("holidayschedules/load/", views.LoadScheduleView.as_view(), name="schedule_load"),
    *views.HolidayScheduleViews.urls(),
    *views.ReminderViews.urls(),
]
