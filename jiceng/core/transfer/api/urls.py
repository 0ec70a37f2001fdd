from django.urls import path

from jiceng.core.transfer.api.views import ImportView

urlpatterns = [path("imports/<slug:registry>/", ImportView.as_view(), name="import-upload")]
