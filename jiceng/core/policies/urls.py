from jiceng.core.policies.views import PolicyViews

app_name = "policies"

urlpatterns = [*PolicyViews.urls()]
