from jiceng.directory import views

app_name = "directory"

urlpatterns = [
    *views.AreaViews.urls(),
    *views.UnitViews.urls(),
    *views.PersonViews.urls(),
    *views.EnterpriseViews.urls(),
    *views.GridViews.urls(),
]
