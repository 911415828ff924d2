from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("request/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
    path("lessons/", views.lessons_list, name="lessons"),
    path("lessons/new/", views.lessons_edit, name="lessons_new"),
    path("lessons/<int:pk>/", views.lessons_edit, name="lessons_edit"),
    path("results/", views.results_page, name="results"),
    path("quarterly/", views.quarterly_list, name="quarterly"),
    path("quarterly/<int:pk>/", views.quarterly_detail, name="quarterly_detail"),
    path("letters/<int:pk>/", views.letters_detail, name="letters"),
    path("letters/<int:pk>/download/", views.letters_download, name="letters_download"),
]
