app_name = "party_life"

urlpatterns: list = []
