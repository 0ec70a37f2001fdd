app_name = "publicpages"

urlpatterns: list = []
