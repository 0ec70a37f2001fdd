from django.urls import path, re_path

from jiceng.core.publicpages import public_views

app_name = "public"

urlpatterns = [
    path("<str:token>/", public_views.page, name="page"),
    re_path(r"^(?P<token>[A-Za-z0-9_-]+)/qr\.(?P<kind>svg|png)$", public_views.qr, name="qr"),
]
