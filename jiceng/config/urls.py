from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from jiceng.core.views import pages

ENGINES = ["policies", "deadlines", "workflow", "alerts", "scoring", "checklists", "publicpages", "transfer", "jobs"]

api_v1 = [
    *[path("", include(f"jiceng.core.{engine}.api.urls")) for engine in ENGINES],
    path("", include("jiceng.directory.api.urls")),
    path("", include("jiceng.accounts.api.urls")),
]

urlpatterns = [
    path("", pages.dashboard, name="home"),
    path("", include("jiceng.core.urls")),
    path("healthz", pages.healthz, name="healthz"),
    path("p/", include("jiceng.core.publicpages.public_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    *[path(f"{engine}/", include(f"jiceng.core.{engine}.urls")) for engine in ENGINES],
    path("accounts/", include("jiceng.accounts.urls")),
    path("directory/", include("jiceng.directory.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
