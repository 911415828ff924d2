"""Filling a questionnaire without a connection.

The fill page (and the staff's paper-entry page, used on a tablet at a venue) load
``surveys/offline.js``: answers are kept on the phone in IndexedDB as she types, and
"Submit" puts the response in a queue on the phone that is sent whenever the
connection allows. A queued response is sent as the form's own POST with two
additions: the header ``X-Survey-Offline: 1`` (the view answers in JSON, see
:func:`stored` and :func:`refused`) and a ``client_id`` made on the phone, which
``Response.client_id`` keeps unique so that a response sent twice is stored once.

The service worker (``/sw.js``) only answers from its cache when the network fails,
and the page itself decides what goes in the cache: the questionnaire's *shell*
(``?shell=1``), rendered with no answers and no name, in both languages, and the
page's own styles and scripts. Nothing of another person is cached.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from surveys.models import Deployment, Question, Response

HEADER = "X-Survey-Offline"


def is_offline_send(request: HttpRequest) -> bool:
    """A response sent from the phone's queue (it wants a JSON answer)."""
    return request.method == "POST" and request.headers.get(HEADER) == "1"


def client_id_from(request: HttpRequest) -> uuid.UUID | None:
    """The id the phone gave a queued response, or None when absent or malformed."""
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


def already_stored(deployment: Deployment, client_id: uuid.UUID | None) -> bool:
    """True when this queued response was stored by an earlier send."""
    return client_id is not None and Response.objects.filter(deployment=deployment, client_id=client_id).exists()


def stored(*, next_url: str = "", duplicate: bool = False) -> JsonResponse:
    """The server kept the response (or had kept it already)."""
    return JsonResponse({"status": "stored", "next": next_url, "duplicate": duplicate})


def refused(reason: str, *, status: int = 400) -> JsonResponse:
    """The server will not take the response; ``reason`` is shown to her, her text is kept."""
    return JsonResponse({"status": "refused", "reason": reason}, status=status)


def reason_from_errors(errors: Mapping[str, list[str]], questions: list[Question]) -> str:
    """One readable sentence per problem, naming the question it concerns."""
    by_key = {f"q{q.pk}": q for q in questions}
    lines: list[str] = []
    for key, messages in errors.items():
        question = by_key.get(key)
        for message in messages:
            lines.append(f"{question.text}: {message}" if question else str(message))
    return "\n".join(lines)


def offline_capable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A queued send to a link that no longer opens (revoked, out of scope, deleted)
    gets a JSON refusal with a reason instead of the HTML 404 page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if is_offline_send(request):
                return refused(_("This survey link no longer opens for you; your answers were not sent."), status=404)
            raise

    return wrapper


def draft_key(kind: str, ref: object, who: object) -> str:
    """The name under which the phone keeps a draft: per page and per person, and not
    guessable from the page, so one person's draft is never offered to another."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{ref}:{who}".encode(), hashlib.sha256)
    return f"{kind}:{digest.hexdigest()[:24]}"


def page_context(request: HttpRequest, *, key: str, shell: bool, next_url: str = "") -> dict[str, Any]:
    """What fill.html needs to work offline."""
    texts = {
        "queued": _("No connection: your answers are saved on this phone and will be sent when it is back online."),
        "queuedPaper": _("Saved on this device; it will be sent when the connection is back. Ready for the next one."),
        "savedHere": _("No connection: your answers are saved on this phone. You can finish later, even offline."),
        "sending": _("Sending the answers saved on this device…"),
        "sent": _("Your answers have been received. Thank you!"),
        "waiting": _("Answers waiting on this device to be sent:"),
        "refused": _("The server did not accept these answers:"),
        "copy": _("Your answers, to copy:"),
        "remove": _("Remove from this device"),
        "signIn": _("Your session has ended: sign in again to send the answers saved on this device."),
    }
    return {
        "offline": {
            "key": key,
            "shell": shell,
            "next": next_url,
            "post_url": request.path,
            "sw_url": reverse("surveys_service_worker"),
            "manifest_url": reverse("surveys_manifest"),
            "texts": texts,
        }
    }


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from the site root so that it can answer for every
    survey link (a personal link as well as a short one)."""
    path = finders.find("surveys/sw.js")
    if not path:  # pragma: no cover - the file ships with the app
        raise Http404
    with open(path, encoding="utf-8") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
@never_cache
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: the questionnaire can be added to the home screen."""
    data = {
        "name": _("Women Leaders' Network — surveys"),
        "short_name": _("Surveys"),
        "start_url": reverse("surveys:list"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#7b1e5a",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("surveys/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("surveys/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")
