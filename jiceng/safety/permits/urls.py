from django.urls import path

from jiceng.safety.permits import views

app_name = "safety_permits"

urlpatterns = [
    path("", views.board, name="board"),
    path("board/rows/", views.board_rows, name="board_rows"),
    path("distribution/", views.distribution, name="distribution"),
    path("permits/<int:pk>/transition/", views.transition, name="transition"),
    *views.OperationReportViews.urls(),
    *views.WorkPermitViews.urls(),
]
