from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from networks.selectors import network_list_for, network_page_for
from portal.access import get_for_user_or_404
from portal.paging import page_of
from portal.roles import Role


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "networks/network_list.html", {"networks": network_list_for(request.user)})


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_for_user_or_404(network_list_for(request.user), request.user, pk=pk)
    # Donor viewers see aggregates only: no names, on the members list or the board.
    show_people = request.user.is_portal_staff or request.user.role == Role.BOARD_MEMBER
    context = {"network": network, "show_people": show_people, **network_page_for(network)}
    context["members_page"] = page_of(request, context["members"]) if show_people else None
    return render(request, "networks/network_detail.html", context)
