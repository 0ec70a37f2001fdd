app_name = "party_registries"

urlpatterns: list = []
