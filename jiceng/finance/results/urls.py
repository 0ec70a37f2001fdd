app_name = "finance_results"

urlpatterns: list = []
