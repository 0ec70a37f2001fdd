app_name = "education_staff"

urlpatterns: list = []
