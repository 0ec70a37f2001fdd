app_name = "deadlines"

urlpatterns: list = []
