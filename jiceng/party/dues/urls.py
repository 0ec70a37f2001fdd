app_name = "party_dues"

urlpatterns: list = []
