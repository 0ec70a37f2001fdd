from django.urls import path

from jiceng.core.deadlines.api import views

urlpatterns = [
    path("calendar/add-workdays/", views.AddWorkdaysView.as_view(), name="calendar-add-workdays"),
    path("calendar/workdays-between/", views.WorkdaysBetweenView.as_view(), name="calendar-workdays-between"),
]
