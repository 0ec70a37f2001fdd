app_name = "safety_chemicals"

urlpatterns: list = []
