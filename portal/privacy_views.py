"""Pages for personal-data protection: the access log (central staff; provincial staff
see their province's entries) and the breach register (central staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import selectors, services
from portal.access import get_for_user_or_404, require
from portal.forms import AccessLogSearchForm, BreachForm
from portal.models import Breach


def _require_central(user: object) -> None:
    require(user, "manage_breaches")


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    require(request.user, "read_access_log")
    form = AccessLogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.access_log_search(
        user=request.user,
        query=filters.get("q", ""),
        action=filters.get("action", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "portal/access_log.html", {"form": form, "page": page})


@login_required
def breach_list(request: HttpRequest) -> HttpResponse:
    _require_central(request.user)
    breaches = Breach.objects.visible_to(request.user).prefetch_related("provinces")
    return render(request, "portal/breach_list.html", {"breaches": breaches, "now": timezone.now()})


@login_required
def breach_create(request: HttpRequest) -> HttpResponse:
    _require_central(request.user)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "provinces"}
        try:
            breach = services.breach_record(data=data, provinces=form.cleaned_data["provinces"], actor=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The breach is recorded. Notify the authority before the deadline."))
            return redirect("breach_detail", pk=breach.pk)
    return render(request, "portal/breach_form.html", {"form": form})


@login_required
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_central(request.user)
    breach = get_for_user_or_404(Breach, request.user, pk=pk)
    return render(
        request,
        "portal/breach_detail.html",
        {
            "breach": breach,
            "hours_left": breach.hours_left(),
            "draft": selectors.breach_notification_draft(breach),
        },
    )


@login_required
@require_POST
def breach_notified(request: HttpRequest, pk: int) -> HttpResponse:
    _require_central(request.user)
    breach = get_for_user_or_404(Breach, request.user, pk=pk)
    services.breach_mark_notified(breach=breach)
    messages.success(request, _("Marked as notified."))
    return redirect("breach_detail", pk=breach.pk)
