from allauth.account.views import LoginView
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from members.views import invitation_short_link
from portal import privacy_views, views
from portal.i18n import set_language
from portal.ratelimit import throttled_admin_login, throttled_portal_login
from surveys import offline as surveys_offline

admin.site.login = throttled_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = "Mạng lưới Lãnh đạo nữ — quản trị"

handler429 = "portal.views.too_many_requests"

urlpatterns = [
    path("", views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/login/", throttled_portal_login(LoginView.as_view()), name="account_login"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # The short link printed on invitation letters (members.letters).
    path("a/<str:code>", invitation_short_link, name="short_link"),
    path("networks/", include("networks.urls")),
    path("members/", include("members.urls")),
    path("events/", include("events.urls")),
    # Served from the root so that its scope covers every survey link (see surveys.offline).
    path("sw.js", surveys_offline.service_worker, name="surveys_service_worker"),
    path("surveys/manifest.webmanifest", surveys_offline.manifest, name="surveys_manifest"),
    path("surveys/", include("surveys.urls")),
    path("reports/", include("reports.urls")),
    path("files/<path:name>", views.protected_file, name="protected_file"),
    path("privacy/access-log/", privacy_views.access_log, name="access_log"),
    path("privacy/breaches/", privacy_views.breach_list, name="breach_list"),
    path("privacy/breaches/new/", privacy_views.breach_create, name="breach_create"),
    path("privacy/breaches/<int:pk>/", privacy_views.breach_detail, name="breach_detail"),
    path("privacy/breaches/<int:pk>/notified/", privacy_views.breach_notified, name="breach_notified"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
