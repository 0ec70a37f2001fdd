from django.urls import re_path

from jiceng.directory import bulletins, views

app_name = "directory"

urlpatterns = [
    *views.AreaViews.urls(),
    *views.UnitViews.urls(),
    *views.PersonViews.urls(),
    *views.EnterpriseViews.urls(),
    *views.GridViews.urls(),
    re_path(r"^bulletin\.(?P<fmt>docx|pdf)$", bulletins.directory_bulletin, name="bulletin"),
]
