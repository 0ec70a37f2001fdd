app_name = "safety_training"

urlpatterns: list = []
