from django.urls import path
from rest_framework.routers import SimpleRouter

from jiceng.party.dues.api.views import VIEWSETS, DuesView, StudyHoursView

router = SimpleRouter()
for prefix, viewset in VIEWSETS.items():
    router.register(prefix, viewset, basename=prefix)

urlpatterns = [
    path("dues/", DuesView.as_view(), name="party-dues"),
    path("study-hours/", StudyHoursView.as_view(), name="party-study-hours"),
    *router.urls,
]
