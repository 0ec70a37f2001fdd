app_name = "education_transfers"

urlpatterns: list = []
