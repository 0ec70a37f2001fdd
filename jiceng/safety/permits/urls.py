app_name = "safety_permits"

urlpatterns: list = []
