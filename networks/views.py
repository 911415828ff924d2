from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from networks import services
from networks.forms import (
    ActivityPlanForm,
    AnnouncementForm,
    BoardTermForm,
    FoundingForm,
    PlannedActivityForm,
    SeatFormSet,
    TaskEditForm,
    TaskForm,
    TaskStatusForm,
)
from networks.models import ActivityPlan, Announcement, Network, PlannedActivity, Task
from networks.selectors import network_list_for, network_page_for
from portal.access import (
    get_for_action_or_404,
    get_for_user_or_404,
    may,
    require,
    require_runs_network,
    runs_network,
)
from portal.caching import page_content
from portal.formflow import add_service_errors, save_form
from portal.paging import page_of


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    return render(request, "networks/network_list.html", {"networks": network_list_for(request.user)})


@login_required
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = get_for_user_or_404(network_list_for(request.user), request.user, pk=pk)
    # Donor viewers see aggregates only: no names, on the members list or the board.
    show_people = may(request.user, "see_names_here", network)

    def context() -> dict[str, Any]:
        page = network_page_for(network)
        current_term = next((t for t in page["board_terms"] if t.ends_on is None), None)
        drawn = {
            "network": network,
            "show_people": show_people,
            "runs_network": runs_network(request.user, network.pk),
            "current_term": current_term,
            "union_chair_warning": services.board_union_chair_warning(network, current_term)
            if may(request.user, "manage_network", network)
            else "",
            **page,
        }
        drawn["members_page"] = page_of(request, drawn["members"]) if show_people else None
        return drawn

    # Drawn for each user (the page shows what she may do here) once per version of the
    # tables it reads and per minute (upcoming events), then served from the cache.
    content = page_content(
        request,
        "network-detail",
        "networks/_network_detail_content.html",
        context,
        topics=["networks", "people", "events", "surveys"],
        params=["page"],
        per_minute=True,
        extra=[network.pk, request.user.pk],
    )
    return render(request, "networks/network_detail.html", {"network": network, "content": content})


# --- staff pages replacing the admin for provincial work --------------------------------


def _staff_network(request: HttpRequest, pk: int) -> Network:
    """A network the staff member may manage (the ``manage_network`` rule: her
    province's; central: any)."""
    return get_for_action_or_404(
        Network.objects.select_related("province", "union_chair"), request.user, "manage_network", pk=pk
    )


@login_required
def founding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Founding decision and charter (draft or adopted), the Union's chair, event approval."""
    network = _staff_network(request, pk)
    form = FoundingForm(request.POST or None, request.FILES or None, instance=network, user=request.user)
    done = save_form(
        request,
        form,
        lambda data: services.network_update_founding(
            network=Network.objects.get(pk=network.pk), **{name: data.get(name) for name in services.FOUNDING_FIELDS}
        ),
        success=_("The founding facts have been saved."),
        then=reverse("networks:detail", args=[network.pk]),
    )
    return done or render(request, "networks/founding_form.html", {"network": network, "form": form})


@login_required
def board_term_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a new board term; it closes the previous one."""
    network = _staff_network(request, pk)
    form = BoardTermForm(request.POST or None)
    seats = SeatFormSet(request.POST or None, prefix="seats", form_kwargs={"network": network})

    def save(data: dict) -> object:
        specs = [
            services.SeatSpec(
                person_id=f.cleaned_data["person"].pk,
                role=f.cleaned_data["role"],
                tasks=f.cleaned_data.get("tasks", ""),
                tasks_en=f.cleaned_data.get("tasks_en", ""),
            )
            for f in seats.forms
            if f.cleaned_data.get("person")
        ]
        return services.board_term_create(network=network, seats=specs, **data)

    done = save_form(
        request,
        form,
        save,
        valid=request.method == "POST" and seats.is_valid(),
        success=_("The new board term has been recorded."),
        then=reverse("networks:detail", args=[network.pk]) + "#board",
    )
    return done or render(request, "networks/board_term_form.html", {"network": network, "form": form, "seats": seats})


@login_required
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    network = _staff_network(request, pk)
    form = ActivityPlanForm(request.POST or None, request.FILES or None)
    done = save_form(
        request,
        form,
        lambda data: services.activity_plan_create(network=network, **data),
        success=_("The annual plan has been created; add its activities."),
        then=lambda plan: reverse("networks:plan", args=[plan.pk]),
    )
    return done or render(request, "networks/plan_form.html", {"network": network, "form": form})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An annual plan: each planned activity with the need it answers and the events
    that deliver it; staff add activities here."""
    plan = get_for_user_or_404(
        ActivityPlan.objects.select_related("network__province").prefetch_related(
            Prefetch("activities", queryset=PlannedActivity.objects.prefetch_related("events"))
        ),
        request.user,
        pk=pk,
    )
    may_edit = may(request.user, "manage_network", plan.network)
    form = PlannedActivityForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "manage_network", plan.network)
        done = save_form(
            request,
            form,
            lambda data: services.planned_activity_add(plan=plan, **data),
            success=_("The activity has been added."),
            then=reverse("networks:plan", args=[plan.pk]),
        )
        if done:
            return done
    return render(
        request,
        "networks/plan_detail.html",
        {"plan": plan, "network": plan.network, "form": form, "may_edit": may_edit},
    )


# --- a network run by its board: tasks and announcements -------------------------------


def _run_network(request: HttpRequest, pk: int) -> Network:
    """The network, if the user runs it (her province's staff, or its own board member)."""
    network = get_for_user_or_404(Network.objects.select_related("province"), request.user, pk=pk)
    require_runs_network(request.user, network.pk)
    return network


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    network = _run_network(request, pk)
    form = TaskForm(request.POST or None, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(network=network, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task has been assigned to %(name)s.") % {"name": task.assignee.full_name})
            return redirect("networks:tasks", pk=network.pk)
    tasks = Task.objects.filter(network=network).select_related("assignee").order_by("status", "deadline", "pk")
    return render(
        request,
        "networks/task_list.html",
        {"network": network, "form": form, "tasks": tasks, "today": timezone.localdate()},
    )


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_for_user_or_404(Task.objects.select_related("network", "assignee"), request.user, pk=pk)
    network = task.network
    if not runs_network(request.user, network.pk):
        return _task_for_assignee(request, task)
    initial = {
        "title": task.title,
        "assignee": task.assignee,
        "deadline": task.deadline,
        "status": task.status,
        "notes": task.notes,
    }
    form = TaskEditForm(request.POST or None, network=network, initial=initial)
    if request.method == "POST" and "remind" in request.POST:
        link = absolute_url(request, reverse("home"))
        if services.task_remind(task=task, link=link):
            messages.success(
                request, _("A reminder has been e-mailed to %(name)s.") % {"name": task.assignee.full_name}
            )
        else:
            messages.error(request, _("No reminder sent: the task is closed or she has no e-mail address."))
        return redirect("networks:task", pk=task.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task has been saved."))
            return redirect("networks:tasks", pk=network.pk)
    return render(request, "networks/task_form.html", {"network": network, "task": task, "form": form})


def _task_for_assignee(request: HttpRequest, task: Task) -> HttpResponse:
    """The member a task is assigned to sees it and updates its status; nobody else."""
    if task.assignee.user_id != request.user.pk:
        raise Http404
    form = TaskStatusForm(request.POST or None, initial={"status": task.status})
    if request.method == "POST" and form.is_valid():
        services.task_update(task=task, status=form.cleaned_data["status"])
        messages.success(request, _("The task has been saved."))
        return redirect("home")
    return render(request, "networks/task_form.html", {"network": task.network, "task": task, "form": form})


@login_required
def announce(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an announcement to the members (e-mail, SMS) and get the Zalo text to paste."""
    network = _run_network(request, pk)
    events = network.events.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    form = AnnouncementForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        event = form.cleaned_data["event"]
        path = reverse("events:detail", args=[event.pk]) if event else reverse("networks:detail", args=[network.pk])
        try:
            announcement = services.announcement_send(
                network=network,
                by=request.user,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
                channels=form.cleaned_data["channels"],
                link=absolute_url(request, path),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Sent: %(emails)s, %(sms)s.")
                % {
                    "emails": ngettext("%(n)s e-mail", "%(n)s e-mails", announcement.emails_sent)
                    % {"n": announcement.emails_sent},
                    "sms": ngettext("%(n)s text message", "%(n)s text messages", announcement.sms_sent)
                    % {"n": announcement.sms_sent},
                },
            )
            return redirect("networks:announcement", pk=announcement.pk)
    sent = Announcement.objects.filter(network=network).select_related("sent_by")[:20]
    return render(request, "networks/announce.html", {"network": network, "form": form, "sent": sent})


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = get_for_user_or_404(Announcement.objects.select_related("network"), request.user, pk=pk)
    require_runs_network(request.user, announcement.network_id)
    return render(
        request, "networks/announcement.html", {"announcement": announcement, "network": announcement.network}
    )


def absolute_url(request: HttpRequest, path: str) -> str:
    """An absolute link for messages that leave the portal (Zalo, SMS, e-mail): built
    from SITE_URL (portal.links), not from the request's host."""
    from portal.links import absolute

    return absolute(path)
