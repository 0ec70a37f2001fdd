from jiceng.education.transfers import views

app_name = "education_transfers"

urlpatterns = views.transfer_urls()
