from jiceng.education import views

app_name = "education"

urlpatterns = [
    *views.SchoolYearViews.urls(),
    *views.SchoolViews.urls(),
    *views.CampusViews.urls(),
    *views.EducationGroupViews.urls(),
    *views.GroupMembershipViews.urls(),
    *views.TeacherViews.urls(),
    *views.SchoolClassViews.urls(),
    *views.StudentViews.urls(),
    *views.EnrollmentViews.urls(),
]
