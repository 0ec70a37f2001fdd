from django.urls import path

from jiceng.education.allocation import views

app_name = "education_allocation"

urlpatterns = [
    path("runs/new/", views.run_add, name="run_add"),
    path("runs/<int:pk>/results/", views.run_results, name="run_results"),
    path("runs/<int:pk>/compare/", views.run_compare, name="run_compare"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/withdraw/", views.run_withdraw, name="run_withdraw"),
    path("intake/trends/", views.intake_trends, name="intake_trends"),
    *views.CatchmentZoneViews.urls(),
    *views.EnrolmentPlanViews.urls(),
    *views.AllocationRunViews.urls(),
    *views.IntakeRecordViews.urls(),
]
