app_name = "safety_hazards"

urlpatterns: list = []
