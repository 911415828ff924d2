from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("export.<str:fmt>", views.member_export, name="export"),
    path("import/", views.member_import, name="import"),
    path("import/confirm/", views.member_import_confirm, name="import_confirm"),
    path("import/template.xlsx", views.member_import_template, name="import_template"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/propose/", views.person_propose, name="person_propose"),
    path("people/<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("people/<int:pk>/anonymise/", views.person_anonymise, name="person_anonymise"),
    path("people/<int:pk>/withdraw-consent/", views.person_consent_withdraw, name="person_consent_withdraw"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("propose/", views.propose, name="propose"),
    path("memberships/<int:pk>/", views.membership_detail, name="membership"),
    path("letters.pdf", views.invitation_letters, name="invitation_letters"),
    path("memberships/<int:pk>/letter.pdf", views.invitation_letter, name="invitation_letter"),
    path("memberships/<int:pk>/paper-application/", views.paper_application, name="paper_application"),
    path("apply/<str:signed>/", views.apply, name="apply"),
    path("welcome/<str:signed>/", views.welcome, name="welcome"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.my_profile_edit, name="me_edit"),
    path("me/my-data.<str:fmt>", views.my_data_download, name="me_download"),
    path("me/removal/", views.my_removal_request, name="me_removal"),
    path("me/withdraw-consent/", views.my_consent_withdraw, name="me_withdraw"),
]
