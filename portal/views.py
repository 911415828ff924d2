from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from networks.models import Network
from portal.access import require
from portal.files import owner_of, private_storage, sniff
from portal.home import home_for


def home(request: HttpRequest) -> HttpResponse:
    """What the portal is, and for a logged-in user what to do next (each item a link)."""
    networks = Network.objects.visible_to(request.user).select_related("province", "legacy_province")
    return render(request, "portal/home.html", {"networks": networks, **home_for(request.user)})


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)


@login_required
def protected_file(request: HttpRequest, name: str) -> HttpResponse:
    """An uploaded document, for whoever may see its record (the ``download_file`` rule),
    always as a download: never shown inline, never sniffed into a page."""
    obj = owner_of(name, request.user)
    if obj is None:
        raise Http404
    require(request.user, "download_file", obj)
    storage = private_storage()
    if not storage.exists(name):
        raise Http404
    handle = storage.open(name, "rb")
    content_type = sniff(handle) or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name.rsplit("/", 1)[-1], content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
