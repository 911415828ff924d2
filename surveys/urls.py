from django.urls import path

from surveys import public_views, views

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
    path("<int:pk>/resend/", views.deployment_resend, name="resend"),
    path("events/<int:event_pk>/people/<int:person_pk>/links/", views.guest_links, name="guest_links"),
    path("s/<str:token>/", views.survey_fill, name="fill"),
    path("s/<str:token>/code/", public_views.identify_code, name="identify_code"),
    path("s/<str:token>/p/<str:signed>/", public_views.personal_fill, name="personal"),
    path("s/<str:token>/thanks/", views.survey_thanks, name="thanks"),
]
