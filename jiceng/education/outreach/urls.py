app_name = "education_outreach"

urlpatterns: list = []
