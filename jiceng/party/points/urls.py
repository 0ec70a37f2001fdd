app_name = "party_points"

urlpatterns: list = []
