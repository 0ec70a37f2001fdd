app_name = "party_members"

urlpatterns: list = []
