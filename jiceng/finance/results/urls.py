from jiceng.finance.results import views

app_name = "finance_results"

urlpatterns = [
    *views.result_urls(),
    *views.PerformanceTargetViews.urls(),
    *views.FindingViews.urls(),
    *views.IdleFundWarningViews.urls(),
    *views.MonitoringReportViews.urls(),
    *views.ReviewNoteViews.urls(),
]
