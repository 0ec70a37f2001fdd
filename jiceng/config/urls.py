from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from jiceng.core.views import pages

# Domain modules: (URL prefix, package). Each package has urls.py (pages) and api/urls.py.
MODULES = [
    ("party/", "jiceng.party"),
    ("party/", "jiceng.party.members"),  # members/, pool/, development/…
    ("party/life/", "jiceng.party.life"),
    ("party/points/", "jiceng.party.points"),
    ("party/dues/", "jiceng.party.dues"),
    ("party/registries/", "jiceng.party.registries"),
    ("safety/", "jiceng.safety"),
    ("safety/hazards/", "jiceng.safety.hazards"),
    ("safety/monitoring/", "jiceng.safety.monitoring"),
    ("safety/chemicals/", "jiceng.safety.chemicals"),
    ("safety/permits/", "jiceng.safety.permits"),
    ("safety/training/", "jiceng.safety.training"),
    ("education/", "jiceng.education"),
    ("education/transfers/", "jiceng.education.transfers"),
    ("education/staff/", "jiceng.education.staff"),
    ("education/allocation/", "jiceng.education.allocation"),
    ("education/groupwork/", "jiceng.education.groupwork"),
    ("education/outreach/", "jiceng.education.outreach"),
    ("finance/", "jiceng.finance"),
    ("finance/results/", "jiceng.finance.results"),
]
# API prefixes of the modules' routers (several apps share ``/api/v1/party/``).
MODULE_APIS = [
    ("party/", "jiceng.party"),
    ("party/", "jiceng.party.members"),
    ("party/", "jiceng.party.life"),
    ("party/", "jiceng.party.points"),
    ("party/", "jiceng.party.dues"),
    ("party/", "jiceng.party.registries"),
    *[
        ("safety/", f"jiceng.safety{sub}")
        for sub in ("", ".hazards", ".monitoring", ".chemicals", ".permits", ".training")
    ],
    *[
        ("education/", f"jiceng.education{sub}")
        for sub in ("", ".transfers", ".staff", ".allocation", ".groupwork", ".outreach")
    ],
    *[("finance/", f"jiceng.finance{sub}") for sub in ("", ".results")],
]

ENGINES = [
    "policies",
    "deadlines",
    "workflow",
    "alerts",
    "scoring",
    "checklists",
    "publicpages",
    "transfer",
    "jobs",
    "video",
]

api_v1 = [
    *[path("", include(f"jiceng.core.{engine}.api.urls")) for engine in ENGINES],
    path("", include("jiceng.directory.api.urls")),
    path("", include("jiceng.accounts.api.urls")),
    *[path(prefix, include(f"{package}.api.urls")) for prefix, package in MODULE_APIS],
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
    # Longest prefixes first so that party/members/… is not swallowed by the party app's patterns.
    *[path(prefix, include(f"{package}.urls")) for prefix, package in sorted(MODULES, key=lambda m: -len(m[0]))],
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
