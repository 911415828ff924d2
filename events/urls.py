from django.urls import path

from events import certificate_views, speaker_views, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("mine/", views.my_events, name="mine"),
    path("attendance/", views.attendance_by_member, name="attendance_by_member"),
    path("speakers/", speaker_views.speaker_list, name="speakers"),
    path("speakers/new/", speaker_views.speaker_edit, name="speaker_new"),
    path("speakers/<int:pk>/", speaker_views.speaker_edit, name="speaker_edit"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/invite-members/", views.invite_members, name="invite_members"),
    path("<int:pk>/invite-guest/", views.invite_guest, name="invite_guest"),
    path("<int:pk>/agenda/", views.add_agenda_item, name="add_agenda_item"),
    path("<int:pk>/media/", views.add_media, name="add_media"),
    path("<int:pk>/check-in/", views.checkin, name="checkin"),
    path("<int:pk>/check-in/person/", views.checkin_person, name="checkin_person"),
    path("<int:pk>/check-in/walk-in/", views.checkin_walk_in, name="checkin_walk_in"),
    path("<int:pk>/qr/", views.venue_qr, name="venue_qr"),
    path("<int:pk>/sign-in-sheet.pdf", views.signin_sheet, name="signin_sheet"),
    path("<int:pk>/approve/", views.event_approve, name="approve"),
    path("<int:pk>/check-in/undo/", views.checkin_undo, name="checkin_undo"),
    path("<int:pk>/check-in/days/", views.checkin_days, name="checkin_days"),
    path("<int:pk>/certificates.pdf", certificate_views.certificates_pdf, name="certificates"),
    path("<int:pk>/my-certificate.pdf", certificate_views.my_certificate, name="my_certificate"),
    path("certificates/<str:code>/", certificate_views.certificate_verify, name="certificate_verify"),
    path("here/<str:token>/", views.self_checkin, name="self_checkin"),
    path("invitations/<int:pk>/respond/", views.respond, name="respond"),
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
]
