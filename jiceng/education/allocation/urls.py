app_name = "education_allocation"

urlpatterns: list = []
