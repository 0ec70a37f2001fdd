app_name = "safety_monitoring"

urlpatterns: list = []
