from jiceng.education.groupwork import views

app_name = "education_groupwork"

urlpatterns = [
    *views.extra_urls(),
    *views.GroupPlanViews.urls(),
    *views.DiagnosisVisitViews.urls(),
    *views.ResearchDayViews.urls(),
    *views.CourseResourceViews.urls(),
    *views.FundAllocationViews.urls(),
    *views.FundSpendingViews.urls(),
    *views.BuildingProjectViews.urls(),
]
