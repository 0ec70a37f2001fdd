from jiceng.safety.monitoring import views

app_name = "safety_monitoring"

urlpatterns = views.urlpatterns()
