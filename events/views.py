"""Event pages: thin views that fetch through the scoped selectors and call one service."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events import selectors, services, tasks
from events.forms import AgendaItemForm, EventEditForm, EventForm, MediaCoverageForm, PersonForm
from events.models import Attendance, Event, Invitation
from members.models import Membership, Person
from networks.models import Network
from portal.access import get_for_action_or_404, get_for_user_or_404, id_or_404, may, parse_id, require, require_staff
from portal.caching import page_content
from portal.collation import people_order
from portal.formflow import save_form
from portal.links import absolute_url
from portal.models import AccessLog
from portal.paging import page_of
from portal.pdf import pdf_response, render_pdf
from portal.qr import qr_svg
from portal.services import access_log_record


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    network = None
    if request.GET.get("network"):
        network = get_for_user_or_404(Network, request.user, pk=id_or_404(request.GET["network"]))

    def context() -> dict[str, Any]:
        events = selectors.event_list_for(request.user, network=network)
        now = timezone.now()
        # Both lists are paged in the database: a country has hundreds of past events.
        upcoming_page = page_of(
            request, events.filter(ends_at__gte=now).order_by("starts_at", "pk"), param="upcoming_page"
        )
        past_page = page_of(request, events.filter(ends_at__lt=now).order_by("-starts_at", "-pk"))
        upcoming, past = list(upcoming_page), list(past_page)
        for event in [*upcoming, *past]:
            event.participant_days = event.duration_days * event.attended_count
        return {
            "upcoming": upcoming,
            "past": past,
            "upcoming_page": upcoming_page,
            "past_page": past_page,
            "network": network,
            "networks": Network.objects.visible_to(request.user).select_related("province"),
        }

    # Drawn once per version of the events and people tables, scope, query string and
    # minute (what is upcoming and what is past), then served from the cache.
    content = page_content(
        request,
        "event-list",
        "events/_event_list_content.html",
        context,
        topics=["events", "people"],
        params=["network", "page", "upcoming_page"],
        per_minute=True,
    )
    return render(request, "events/event_list.html", {"content": content})


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    """Staff create events of their networks; a board member, events of her network."""
    require(request.user, "create_event")
    initial = {}
    network_id = parse_id(request.GET.get("network"))
    if network_id:
        initial["networks"] = Network.objects.visible_to(request.user).filter(pk=network_id)
    form = EventForm(request.POST or None, user=request.user, initial=initial)

    done = save_form(
        request,
        form,
        lambda data: services.event_create(by=request.user, **data),
        success=lambda event: (
            _("The event has been created; it waits for the provincial staff's approval.")
            if event.awaiting_approval
            else _("The event has been created.")
        ),
        then=lambda event: reverse("events:detail", args=[event.pk]),
    )
    return done or render(request, "events/event_form.html", {"form": form})


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "manage_event")
    # Bind to a fresh copy so a refused change leaves ``event`` as stored.
    form = EventEditForm(request.POST or None, instance=Event.objects.get(pk=event.pk), user=request.user)
    done = save_form(
        request,
        form,
        lambda data: services.event_update(event=event, by=request.user, **data),
        success=_("The event has been saved."),
        then=reverse("events:detail", args=[event.pk]),
    )
    return done or render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_detail_for(request.user, pk)
    user = request.user
    context: dict = {
        "event": event,
        "figures": selectors.event_attendance_figures(event),
        "is_staff": may(user, "use_staff_pages"),
        "runs_event": may(user, "run_event", event),
        "may_manage": may(user, "manage_event", event),
    }
    if context["runs_event"]:
        invitations = list(selectors.event_invitations_for(event, user))
        context.update(
            invitations=invitations,
            walk_ins=list(selectors.event_attendees_for(event, user).filter(invitation__isnull=True)),
            by_province=selectors.event_attendance_by_province(event),
            guest_form=PersonForm(event=event, user=user, prefix="guest"),
            agenda_form=AgendaItemForm(user=user, prefix="agenda"),
            media_form=MediaCoverageForm(prefix="media"),
        )
    my_invitation = Invitation.objects.filter(event=event, person__user=user).select_related("attendance").first()
    context["my_invitation"] = my_invitation
    return render(request, "events/event_detail.html", context)


def _staff_event(request: HttpRequest, pk: int, action: str) -> Event:
    """The event through ``visible_to``, then the action through the rules table: both
    refusals are a 404 (a shared event's programme belongs to whoever runs it)."""
    return get_for_action_or_404(Event, request.user, action, pk=pk)


@login_required
@require_POST
def invite_members(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "invite_to_event")
    try:
        created = services.invitation_invite_members(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("events:detail", pk=event.pk)
    _email_invitations(request, [i.pk for i in created])
    messages.success(
        request,
        ngettext("%(count)d member invited.", "%(count)d members invited.", len(created)) % {"count": len(created)},
    )
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def invite_guest(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "invite_to_event")
    form = PersonForm(request.POST, event=event, user=request.user, prefix="guest")
    if form.is_valid():
        try:
            invitation = services.invitation_invite_guest(event=event, by=request.user, **_person_data(form))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request, _("%(name)s has been invited as a guest.") % {"name": invitation.person.full_name}
            )
    else:
        messages.error(request, _("The guest was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("events:detail", pk=event.pk)


def _email_invitations(request: HttpRequest, ids: list[int]) -> None:
    """Queue the personal-link e-mails once the invitations are committed."""
    if ids:
        transaction.on_commit(lambda: tasks.send_invitation_emails.delay(ids))


def _person_data(form: PersonForm) -> dict:
    data = dict(form.cleaned_data)
    data["phone"] = str(data["phone"]) if data.get("phone") else ""
    return data


def _form_errors(form) -> str:  # noqa: ANN001
    return " ".join(
        f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}".strip(": ") for f, e in form.errors.items()
    )


@login_required
@require_POST
def add_agenda_item(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "manage_event")
    form = AgendaItemForm(request.POST, user=request.user, prefix="agenda")
    if form.is_valid():
        try:
            services.agenda_item_add(event=event, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The agenda item has been added."))
    else:
        messages.error(request, _("The agenda item was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def add_media(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "manage_event")
    form = MediaCoverageForm(request.POST, prefix="media")
    if form.is_valid():
        services.media_coverage_add(event=event, **form.cleaned_data)
        messages.success(request, _("The news item has been added."))
    else:
        messages.error(request, _("The news item was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("events:detail", pk=event.pk)


@login_required
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page staff use at the door: invitees with a check-in button, members not
    invited (walk-in only), and a form for new walk-in guests."""
    event = _staff_event(request, pk, "check_in_at_event")
    invitations = list(selectors.event_invitations_for(event, request.user))
    not_invited = (
        Person.objects.visible_to(request.user)
        .filter(memberships__network__in=event.networks.all(), memberships__status=Membership.Status.MEMBER)
        .exclude(event_invitations__event=event)
        .exclude(event_attendances__event=event)
        .distinct()
        .order_by(*people_order())
    )
    return render(
        request,
        "events/checkin.html",
        {
            "event": event,
            "invitations": invitations,
            "not_invited": not_invited,
            "walk_ins": selectors.event_attendees_for(event, request.user).filter(invitation__isnull=True),
            "figures": selectors.event_attendance_figures(event),
            "walk_in_form": PersonForm(event=event, user=request.user, prefix="walkin"),
        },
    )


@login_required
@require_POST
def checkin_person(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "check_in_at_event")
    person = get_for_user_or_404(Person, request.user, pk=id_or_404(request.POST.get("person")))
    try:
        services.attendance_check_in(
            event=event, person=person, by=request.user, walk_in=request.POST.get("walk_in") == "1"
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": person.full_name})
    return redirect(reverse("events:checkin", args=[event.pk]) + f"#person-{person.pk}")


@login_required
@require_POST
def checkin_walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk, "check_in_at_event")
    form = PersonForm(request.POST, event=event, user=request.user, prefix="walkin")
    if form.is_valid():
        try:
            attendance = services.attendance_add_walk_in(event=event, by=request.user, **_person_data(form))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("%(name)s is checked in as a walk-in guest.") % {"name": attendance.person})
    else:
        messages.error(request, _("The walk-in guest was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect("events:checkin", pk=event.pk)


@login_required
def venue_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code shown at the venue: attendees scan it to check themselves in."""
    event = _staff_event(request, pk, "check_in_at_event")
    url = absolute_url("events:self_checkin", event.checkin_token)
    return render(request, "events/venue_qr.html", {"event": event, "url": url, "qr": qr_svg(url)})


@login_required
def self_checkin(request: HttpRequest, token: str) -> HttpResponse:
    """Where the venue QR code leads: the logged-in attendee confirms she is here."""
    event = get_object_or_404(Event, checkin_token=token)
    person = Person.objects.filter(user=request.user).first()
    attendance = Attendance.objects.filter(event=event, person=person).first() if person else None
    if request.method == "POST":
        if person is None:
            messages.error(
                request, _("Your account is not linked to a member record; please see the staff at the door.")
            )
        else:
            try:
                attendance = services.attendance_check_in(
                    event=event, person=person, by=request.user, method=Attendance.Method.QR
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
            else:
                messages.success(request, _("Welcome! You are checked in."))
        return redirect("events:self_checkin", token=token)
    return render(request, "events/self_checkin.html", {"event": event, "attendance": attendance, "person": person})


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    """A member accepts or declines her own invitation from her account."""
    invitation = get_object_or_404(Invitation, pk=pk, person__user=request.user)
    _respond(request, invitation)
    return redirect("events:detail", pk=invitation.event_id)


def _respond(request: HttpRequest, invitation: Invitation) -> None:
    accept = request.POST.get("answer") == "accept"
    try:
        invitation = services.invitation_respond(invitation=invitation, accept=accept)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return
    if invitation.status == Invitation.Status.WAITLISTED:
        messages.warning(request, _("The event is full: you are on the waiting list."))
    elif invitation.status == Invitation.Status.ACCEPTED:
        messages.success(request, _("Thank you, your place is confirmed."))
    else:
        messages.success(request, _("Your answer has been recorded: you will not attend."))


def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The personal invitation link: accept or decline without logging in."""
    invitation = get_object_or_404(Invitation.objects.select_related("event", "person"), token=token)
    if request.method == "POST":
        _respond(request, invitation)
        return redirect("events:rsvp", token=token)
    return render(request, "events/rsvp.html", {"invitation": invitation, "event": invitation.event})


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    """A member's invitations and attendance history."""
    person = Person.objects.filter(user=request.user).first()
    history = selectors.person_attendance_history(person) if person else None
    return render(request, "events/my_events.html", {"person": person, "history": history})


@login_required
def attendance_by_member(request: HttpRequest) -> HttpResponse:
    """Staff: each person's attendance rate over past events (optionally one network)."""
    require(request.user, "manage_members")
    network = None
    if request.GET.get("network"):
        network = get_for_user_or_404(Network, request.user, pk=id_or_404(request.GET["network"]))

    def context() -> dict[str, Any]:
        page = page_of(request, selectors.member_attendance_query(request.user, network=network))
        return {"rows": selectors.attendance_rows(page.object_list), "page": page, "network": network}

    # Drawn once per version of the events and people tables, scope, query string and
    # minute (which events have ended), then served from the cache.
    content = page_content(
        request,
        "attendance-by-member",
        "events/_attendance_by_member_content.html",
        context,
        topics=["events", "people"],
        params=["network", "page"],
        per_minute=True,
    )
    return render(request, "events/attendance_by_member.html", {"content": content})


@login_required
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable sign-in sheet (PDF): invitees the user may see, plus blank rows."""
    event = _staff_event(request, pk, "see_event_people")
    event = selectors.event_detail_for(request.user, event.pk)
    invitations = [
        i for i in selectors.event_invitations_for(event, request.user) if i.status != Invitation.Status.DECLINED
    ]
    access_log_record(
        user=request.user, action=AccessLog.Action.REPORT, what=f"sign-in-{event.pk}.pdf", rows=len(invitations)
    )
    pdf = render_pdf(
        "events/signin_sheet.html",
        {"event": event, "invitations": invitations, "blank_rows": range(10)},
        request=request,
    )
    return pdf_response(pdf, f"sign-in-{event.pk}.pdf")


@login_required
@require_POST
def checkin_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff undo a mistaken check-in; the attendance history records who and why."""
    require_staff(request.user)
    event = _staff_event(request, pk, "check_in_at_event")
    person_id = id_or_404(request.POST.get("person"))
    attendance = get_object_or_404(Attendance.objects.visible_to(request.user), event=event, person_id=person_id)
    name = attendance.person.full_name
    services.attendance_undo(attendance=attendance, by=request.user, reason=request.POST.get("reason", ""))
    messages.success(request, _("The check-in of %(name)s has been undone.") % {"name": name})
    return redirect(reverse("events:checkin", args=[event.pk]) + f"#person-{person_id}")


@login_required
@require_POST
def checkin_days(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record the days a participant attended a training of several days."""
    require_staff(request.user)
    event = _staff_event(request, pk, "check_in_at_event")
    person_id = id_or_404(request.POST.get("person"))
    attendance = get_object_or_404(Attendance.objects.visible_to(request.user), event=event, person_id=person_id)
    raw = request.POST.get("days_present", "").strip().replace(",", ".")
    try:
        days = Decimal(raw) if raw else None
    except InvalidOperation:
        messages.error(request, _("Enter the days present as a number, e.g. 1.5."))
    else:
        try:
            services.attendance_set_days_present(attendance=attendance, days_present=days)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Days present recorded for %(name)s.") % {"name": attendance.person.full_name})
    return redirect(reverse("events:checkin", args=[event.pk]) + f"#person-{person_id}")


@login_required
@require_POST
def event_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Provincial staff approve an event the network's board created."""
    event = _staff_event(request, pk, "manage_event")
    services.event_approve(event=event, by=request.user)
    messages.success(request, _("The event is approved; invitations may go out."))
    return redirect("events:detail", pk=event.pk)
