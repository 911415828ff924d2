from django.urls import path

from networks import views

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("<int:pk>/", views.network_detail, name="detail"),
    path("<int:pk>/founding/", views.founding_edit, name="founding"),
    path("<int:pk>/board/new/", views.board_term_new, name="board_term_new"),
    path("<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_edit, name="task"),
    path("<int:pk>/announce/", views.announce, name="announce"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
]
