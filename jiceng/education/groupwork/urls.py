app_name = "education_groupwork"

urlpatterns: list = []
