from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.deployment_new, name="new"),
    path("<int:pk>/", views.deployment_detail, name="detail"),
    path("<int:pk>/qr.png", views.deployment_qr, name="qr"),
    path("<int:pk>/paper/", views.paper_entry, name="paper"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/export.xlsx", views.survey_export, name="export"),
    path("templates/<int:pk>/provinces/", views.province_comparison, name="comparison"),
    path("events/<int:event_pk>/prepost/", views.prepost, name="prepost"),
    path("trainers/", views.trainer_roster, name="trainers"),
    path("s/<str:token>/", views.survey_fill, name="fill"),
    path("s/<str:token>/thanks/", views.survey_thanks, name="thanks"),
]
