"""Which language a page is in: Vietnamese unless the person chose English.

The browser's ``Accept-Language`` is ignored on purpose: most staff use browsers set to
English, and the portal's default must hold for them too. The choice is stored on the
account (``User.language``) when she is logged in and in the language cookie otherwise;
the switcher in the page header sets both.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def chosen_language(request: HttpRequest) -> str:
    """The person's stored choice, then the cookie's, else the portal's default."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", "") in SUPPORTED:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if cookie in SUPPORTED:
        return cookie
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware(LocaleMiddleware):
    """``LocaleMiddleware`` without the browser's say: placed after authentication so the
    stored preference of the logged-in person is known."""

    def process_request(self, request: HttpRequest) -> None:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # No "Vary: Accept-Language": the header does not change the page.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's switcher, which also stores the choice on the logged-in account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if language in SUPPORTED and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
