from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from networks.models import Network
from portal.home import home_for


def home(request: HttpRequest) -> HttpResponse:
    """What the portal is, and for a logged-in user what to do next (each item a link)."""
    networks = Network.objects.visible_to(request.user).select_related("province", "legacy_province")
    return render(request, "portal/home.html", {"networks": networks, **home_for(request.user)})


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "429.html", status=429)
