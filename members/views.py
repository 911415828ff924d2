"""Staff pages (member list, pipeline, import/export, dashboard), the public application
form, and the member's own profile. Views parse input, call one service or selector,
and render; every fetch goes through ``visible_to``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import tablib
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from members import services
from members.forms import (
    ApplicationForm,
    BulkActionForm,
    ConfirmWithReasonForm,
    ImportForm,
    ProfileForm,
    ProposeForm,
    StatusChangeForm,
)
from members.importer import MAX_ERRORS, ImportFileError
from members.letters import letter_context
from members.models import Consent, Invitation, Membership, Person, search_key
from members.resources import PersonResource
from members.selectors import person_data_sections, person_search, pipeline_for, representation_for
from networks.models import Network, Province
from portal.access import get_for_action_or_404, get_for_user_or_404, may, parse_id, require, require_staff
from portal.caching import cached, data_version, make_key, page_content, scope_key
from portal.charts import bar_chart_svg
from portal.links import absolute_url
from portal.models import AccessLog
from portal.pdf import pdf_response, render_pdf
from portal.qr import qr_svg
from portal.services import access_log_record

S = Membership.Status


def _int_or_none(value: str | None) -> int | None:
    return parse_id(value)


# --- member list, search, export ---------------------------------------------------------


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)

    def context() -> dict[str, Any]:
        query = request.GET.get("q", "")
        network_id = _int_or_none(request.GET.get("network"))
        people = person_search(user=request.user, query=query, network_id=network_id)
        removal = request.GET.get("removal") == "1"
        if removal:
            people = people.filter(removal_requested_at__isnull=False, anonymised_at__isnull=True)
        removal_requests = (
            Person.objects.visible_to(request.user)
            .filter(removal_requested_at__isnull=False, anonymised_at__isnull=True)
            .count()
        )
        page = Paginator(people, 50).get_page(request.GET.get("page"))
        return {
            "people": page.object_list,
            "page": page,
            "query": query,
            "networks": Network.objects.visible_to(request.user).select_related("province"),
            "network_id": network_id,
            "removal": removal,
            "removal_requests": removal_requests,
        }

    # Drawn once per version of the people tables, scope and query string (the cache).
    content = page_content(
        request,
        "member-list",
        "members/_member_list_content.html",
        context,
        topics=["people"],
        params=["q", "network", "page", "removal"],
    )
    return render(request, "members/member_list.html", {"content": content})


@login_required
def member_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The visible people (or the searched ones) as .xlsx or .csv, formula-safe."""
    require_staff(request.user)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    people = person_search(
        user=request.user, query=request.GET.get("q", ""), network_id=_int_or_none(request.GET.get("network"))
    )
    dataset = PersonResource(user=request.user).export(queryset=people)
    access_log_record(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        what=f"members.{fmt} {request.GET.urlencode()}",
        rows=len(dataset),
    )
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body: Any = dataset.export("xlsx")
    else:
        content_type = "text/csv; charset=utf-8"
        body = "\ufeff" + dataset.export("csv")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="members.{fmt}"'
    return response


# --- import --------------------------------------------------------------------------------


def _import_province(request: HttpRequest, form: ImportForm) -> int | None:
    """The province the list belongs to: chosen on the form by those who import for any
    province (central staff), else her own."""
    if may(request.user, "import_for_any_province"):
        province = form.cleaned_data.get("province")
        return province.pk if province else None
    return request.user.scope_province_id


@login_required
def member_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and check (nothing is saved); the preview names the province and
    the file, lists every bad cell, shows the rows as read and what each update changes.
    Step 2 (``member_import_confirm``) imports the previewed file: its button carries the
    preview's id."""
    require(request.user, "manage_members")
    provinces = Province.objects.visible_to(request.user)
    networks = Network.objects.visible_to(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, provinces=provinces, networks=networks)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        province_id = _import_province(request, form)
        if not province_id:
            form.add_error("province", _("Choose the province the list belongs to."))
            return render(request, "members/import.html", context)
        province = get_for_action_or_404(Province.objects.all(), request.user, "import_members", pk=province_id)
        network = form.cleaned_data.get("network")
        if network is not None and network.province_id != province_id:
            form.add_error("network", _("The network is not in the province of the list."))
            return render(request, "members/import.html", context)
        upload = form.cleaned_data["file"]
        try:
            plan, preview = services.import_preview_create(
                content=upload.read(),
                file_name=upload.name,
                province_id=province_id,
                actor=request.user,
                network=network,
            )
        except ImportFileError as exc:
            form.add_error("file", exc.messages[0])
            return render(request, "members/import.html", context)
        context.update(
            {
                "plan": plan.summary(),
                "preview": preview,
                "province": province,
                "file_name": upload.name,
                "errors": plan.errors[:MAX_ERRORS],
                "confirm": preview is not None,
            }
        )
    return render(request, "members/import.html", context)


@login_required
@require_POST
def member_import_confirm(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    try:
        preview = services.import_preview_for(preview_id=request.POST.get("preview"), actor=request.user)
        # The province stored with the preview must still be one she may import into.
        get_for_action_or_404(Province.objects.all(), request.user, "import_members", pk=preview.province_id)
        if preview.network_id:
            get_for_user_or_404(Network.objects.all(), request.user, pk=preview.network_id)
        preview, plan = services.import_preview_confirm(preview_id=preview.pk, actor=request.user)
    except services.ImportExpired as exc:
        messages.error(request, str(exc))
        return redirect("members:import")
    except ImportFileError as exc:
        messages.error(request, exc.messages[0])
        return redirect("members:import")
    names = {"file": preview.file_name, "province": preview.province.name}
    if plan.errors:
        messages.error(
            request,
            _("Nothing was imported from %(file)s into %(province)s: %(error)s") % {**names, "error": plan.errors[0]},
        )
        return redirect("members:import")
    totals = plan.totals
    messages.success(
        request,
        _("%(file)s imported into %(province)s: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {**names, "new": totals["new"], "updated": totals["update"], "unchanged": totals["unchanged"]},
    )
    if preview.network is not None:
        messages.success(
            request,
            ngettext(
                "%(n)s person added to the candidate list of %(network)s.",
                "%(n)s people added to the candidate list of %(network)s.",
                plan.candidates_added,
            )
            % {"n": plan.candidates_added, "network": preview.network.name},
        )
        return redirect(f"{reverse('members:pipeline')}?network={preview.network_id}")
    return redirect("members:list")


@login_required
def member_import_template(request: HttpRequest) -> HttpResponse:
    """An empty member list with the accepted headings and one example row."""
    require_staff(request.user)
    from members.importer import template_xlsx

    response = HttpResponse(
        template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-thanh-vien.xlsx"'
    return response


# --- people ---------------------------------------------------------------------------------


def _person_qs() -> Any:
    return Person.objects.select_related("province", "commune")


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    person = get_for_user_or_404(_person_qs(), request.user, pk=pk)
    access_log_record(user=request.user, action=AccessLog.Action.VIEW_PERSON, person=person, what=request.path)
    memberships = person.memberships.select_related("network")
    other_networks = (
        Network.objects.visible_to(request.user)
        .filter(province_id=person.province_id)
        .exclude(memberships__person=person)
    )
    return render(
        request,
        "members/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "consents": person.consents.all(),
            "withdrawals": person.consent_withdrawals.all(),
            "other_networks": other_networks,
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    person = get_for_user_or_404(_person_qs(), request.user, pk=pk)
    return _edit_profile(request, person, "members:person", {"pk": person.pk}, channel=Consent.Source.STAFF)


def _edit_profile(
    request: HttpRequest, person: Person, next_url: str, kwargs: dict[str, Any], *, channel: str
) -> HttpResponse:
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(person), province_id=person.province_id)
    if request.method == "POST" and form.is_valid():
        # Ticking the sensitive-data box (she herself, or staff recording what she gave
        # them) is a new consent, recorded with its text version and time.
        basis = None
        if form.cleaned_data.get("sensitive_consent") and not person.sensitive_consent_at:
            basis = services.LawfulBasis.consent(channel=channel, by=request.user, sensitive=True)
        try:
            services.person_update(person=person, data=form.cleaned_data, basis=basis, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Profile saved."))
            return redirect(next_url, **kwargs)
    return render(request, "members/person_form.html", {"form": form, "person": person})


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_POST
def person_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a person already on file on a network's candidate list."""
    require_staff(request.user)
    person = get_for_user_or_404(Person.objects.all(), request.user, pk=pk)
    network = get_for_user_or_404(
        Network.objects.all(), request.user, pk=_int_or_none(request.POST.get("network")) or 0
    )
    try:
        membership = services.membership_propose(network=network, person=person, actor=request.user)
    except services.PipelineError as exc:
        messages.error(request, str(exc))
        return redirect("members:person", pk=person.pk)
    messages.success(request, _("%(name)s was added as a candidate.") % {"name": person.full_name})
    return redirect("members:membership", pk=membership.pk)


@login_required
@require_POST
def person_anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    person = get_for_user_or_404(Person.objects.all(), request.user, pk=pk)
    require(request.user, "anonymise_person", person)
    services.person_anonymise(person=person, actor=request.user)
    messages.success(
        request,
        _(
            "Her name, contact details, organisation, login and past versions were wiped. Her category, "
            "ethnic group, commune/ward and age band are kept without her identity, so every figure stays the same."
        ),
    )
    return redirect("members:person", pk=person.pk)


@login_required
@require_POST
def person_consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record that she withdrew her consent (she told them)."""
    require_staff(request.user)
    person = get_for_user_or_404(Person.objects.all(), request.user, pk=pk)
    require(request.user, "manage_person", person)
    form = ConfirmWithReasonForm(request.POST)
    if person.anonymised_at or not form.is_valid():
        messages.error(request, _("Tick the box to confirm."))
        return redirect("members:person", pk=person.pk)
    services.consent_withdraw(person=person, actor=request.user, channel="staff", reason=form.cleaned_data["reason"])
    messages.success(
        request, _("Her withdrawal was recorded: her ethnic group was cleared and she is no longer contacted.")
    )
    return redirect("members:person", pk=person.pk)


@login_required
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge another record of the same person into this one: pick the other record by
    its number, compare the two, confirm."""
    require_staff(request.user)
    keep = get_for_user_or_404(_person_qs(), request.user, pk=pk)
    other_id = _int_or_none(request.POST.get("other") or request.GET.get("other"))
    other = get_for_user_or_404(_person_qs(), request.user, pk=other_id) if other_id else None
    if request.method == "POST" and other is not None:
        try:
            services.person_merge(keep=keep, duplicate=other, actor=request.user)
        except services.MergeError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Record #%(other)s was merged into this one.") % {"other": other_id})
            return redirect("members:person", pk=keep.pk)
    candidates = (
        Person.objects.visible_to(request.user)
        .filter(province_id=keep.province_id, anonymised_at__isnull=True)
        .exclude(pk=keep.pk)
    )
    if keep.phone or keep.email:
        from django.db.models import Q

        same = Q(pk__in=[])
        if keep.phone:
            same |= Q(phone=keep.phone)
        if keep.email:
            same |= Q(email__iexact=keep.email)
        same |= Q(search_text__startswith=search_key(keep.full_name))
        candidates = candidates.filter(same)
    else:
        candidates = candidates.filter(search_text__startswith=search_key(keep.full_name))
    return render(
        request,
        "members/person_merge.html",
        {"person": keep, "other": other, "candidates": candidates.select_related("commune")[:20]},
    )


# --- pipeline -------------------------------------------------------------------------------


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    """Counts per stage and bulk actions for the common steps."""
    require_staff(request.user)
    network_id = _int_or_none(request.GET.get("network") or request.POST.get("network"))
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    data = pipeline_for(user=request.user, network_id=network_id, status=status)
    posted = request.POST
    if request.method == "POST" and posted.get("all_matching") == "1":
        # "All matching": every membership of the current filter, not only this page.
        posted = posted.copy()
        posted.setlist("memberships", [str(pk) for pk in data["memberships"].values_list("pk", flat=True)])
    form = BulkActionForm(posted or None, memberships=Membership.objects.visible_to(request.user))
    if request.method == "POST":
        if form.is_valid():
            try:
                done = _run_bulk(request, form.cleaned_data)
            except (services.PipelineError, ValidationError) as exc:
                messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(
                    request, ngettext("%(n)s person moved on.", "%(n)s people moved on.", done) % {"n": done}
                )
                return redirect(request.get_full_path())
        else:
            messages.error(request, _("Choose the people and the action."))
    networks = Network.objects.visible_to(request.user).select_related("province")

    def rows() -> dict[str, Any]:
        page = Paginator(data["memberships"], 100).get_page(request.GET.get("page"))
        return {"memberships": page.object_list, "page": page, "matching": page.paginator.count}

    # The rows (a country's memberships sorted by network and name) are drawn once per
    # version of the people tables, scope and filter; the form around them, with its
    # CSRF token, is drawn for each request.
    drawn = page_content(
        request,
        "pipeline-rows",
        "members/_pipeline_rows.html",
        rows,
        topics=["people"],
        params=["network", "status", "page"],
    )
    return render(
        request,
        "members/pipeline.html",
        {
            "counts": data["counts"],
            "total": data["total"],
            "rows": drawn,
            "form": form,
            "networks": networks,
            "network_id": network_id,
            "status": status,
        },
    )


def _run_bulk(request: HttpRequest, data: dict[str, Any]) -> int:
    memberships = list(data["memberships"])
    action = data["action"]
    if action == "approve":
        return len(
            services.membership_approve(memberships=memberships, actor=request.user, reference=data["reference"])
        )
    if action == "access":
        return services.member_access_give(people=[m.person for m in memberships])
    if action == "invite":
        sent = services.membership_invite(
            memberships=memberships,
            actor=request.user,
            link_for=lambda signed: absolute_url("members:apply", signed),
        )
        return len(sent)
    return len(
        services.membership_admit(
            memberships=memberships,
            actor=request.user,
            decision_number=data["decision_number"],
            joined_on=data.get("joined_on"),
        )
    )


@login_required
def propose(request: HttpRequest) -> HttpResponse:
    """Add a new candidate to a network's list."""
    require_staff(request.user)
    networks = Network.objects.visible_to(request.user).select_related("province")
    network_id = _int_or_none(request.POST.get("network") or request.GET.get("network"))
    network = networks.filter(pk=network_id).first() if network_id else None
    form = ProposeForm(
        request.POST or None,
        networks=networks,
        province_id=network.province_id if network else request.user.province_id,
        initial={"network": network_id},
    )
    if request.method == "POST" and form.is_valid():
        network = form.cleaned_data["network"]
        try:
            basis = services.LawfulBasis.official_list(
                source=_("Candidate list of %(network)s proposed by the provincial Union") % {"network": network.name},
                by=request.user,
            )
            person = services.person_create(
                province_id=network.province_id, data=form.cleaned_data, basis=basis, actor=request.user
            )
            membership = services.membership_propose(
                network=network, person=person, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.PipelineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(name)s was added as a candidate.") % {"name": person.full_name})
            return redirect("members:membership", pk=membership.pk)
    return render(request, "members/propose.html", {"form": form})


def _membership(request: HttpRequest, pk: int) -> Membership:
    require_staff(request.user)
    qs = Membership.objects.select_related("person__commune", "network__province")
    return get_for_user_or_404(qs, request.user, pk=pk)


def _open_invitation(membership: Membership) -> Invitation | None:
    return (
        membership.invitations.filter(used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )


@login_required
def membership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    form = StatusChangeForm(request.POST or None)
    if request.method == "POST":
        _membership_step(request, membership, form)
        return redirect("members:membership", pk=membership.pk)
    invitation = _open_invitation(membership)
    link = None
    if invitation:
        link = absolute_url("members:apply", services.invitation_signed_token(invitation))
    return render(
        request,
        "members/membership_detail.html",
        {
            "membership": membership,
            "steps": membership.steps.select_related("acted_by"),
            "invitation": invitation,
            "link": link,
            "qr": qr_svg(link, box_size=4) if link else "",
            "form": form,
            "next_states": services.allowed_next(membership.status),
            "next_steps": _next_steps(membership),
        },
    )


# The buttons of the membership page: each allowed next state, with the step that gets there.
_STEP_FOR_STATE = {
    S.APPROVED: "approve",
    S.INVITED: "invite",
    S.APPLIED: "paper",
    S.MEMBER: "admit",
}


def _next_steps(membership: Membership) -> list[dict[str, Any]]:
    """The next allowed steps, forward steps first, as the page's buttons."""
    order = {state: i for i, state in enumerate(services.PIPELINE_ORDER)}
    steps = []
    for state in sorted(services.allowed_next(membership.status), key=lambda s: order[s]):
        kind = _STEP_FOR_STATE.get(state, "status")
        label = S(state).label
        if state == S.INVITED and membership.status == S.INVITED:
            label = _("Send a new invitation")
        steps.append({"state": state, "kind": kind, "label": label, "negative": kind == "status"})
    return steps


def _membership_step(request: HttpRequest, membership: Membership, form: StatusChangeForm) -> None:
    """Run the step a button asked for; a refused step leaves the membership unchanged."""
    step = request.POST.get("step", "status")
    note = request.POST.get("note", "")
    try:
        if step == "approve":
            services.membership_approve(
                memberships=[membership], actor=request.user, reference=request.POST.get("reference", "")
            )
        elif step == "invite":
            services.membership_invite(
                memberships=[membership],
                actor=request.user,
                link_for=lambda signed: absolute_url("members:apply", signed),
            )
        elif step == "admit":
            joined_on = None
            raw = request.POST.get("joined_on", "").strip()
            if raw:
                joined_on = forms.DateField().clean(raw)
            services.membership_admit(
                memberships=[membership],
                actor=request.user,
                decision_number=request.POST.get("decision_number", ""),
                joined_on=joined_on,
            )
        else:
            if not form.is_valid():
                messages.error(request, _("Choose the new status."))
                return
            services.membership_change_status(
                membership=membership, to_status=form.cleaned_data["to_status"], actor=request.user, note=note
            )
    except services.PipelineError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status changed."))


@login_required
def invitation_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable invitation letter with the personal link and its QR code."""

    membership = _membership(request, pk)
    invitation = _open_invitation(membership)
    if invitation is None:
        raise Http404
    pdf = render_pdf("members/invitation_letter.html", letter_context(membership, invitation, request), request=request)
    return pdf_response(pdf, f"invitation-{membership.pk}.pdf")


@login_required
def invitation_letters(request: HttpRequest) -> HttpResponse:
    """All open invitations (of one network, or all visible) as one PDF to print: one
    letter per page, each with its personal link and QR code. More than
    ``LETTERS_IN_REQUEST`` are rendered by a worker task (``reports.services.letters_queue``)."""

    from members.letters import open_invitations
    from reports.services import LETTERS_IN_REQUEST, letters_queue

    require_staff(request.user)
    found = open_invitations(request.user, network_id=_int_or_none(request.GET.get("network")))
    if not found:
        messages.error(request, _("No open invitation to print."))
        return redirect("members:pipeline")
    if len(found) > LETTERS_IN_REQUEST:
        # More than a page-full: a worker renders them; the batch's page offers the PDF.
        batch = letters_queue(user=request.user, membership_ids=[m.pk for m, _i in found])
        return redirect("reports:letters", pk=batch.pk)
    letters = [letter_context(membership, invitation, request) for membership, invitation in found]
    pdf = render_pdf("members/invitation_letters.html", {"letters": letters}, request=request)
    access_log_record(user=request.user, action=AccessLog.Action.REPORT, what="invitations.pdf", rows=len(letters))
    return pdf_response(pdf, "invitations.pdf")


@login_required
def paper_application(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff type in a signed paper application."""
    membership = _membership(request, pk)
    person = membership.person
    form = ApplicationForm(
        request.POST or None, initial=ProfileForm.initial_for(person), province_id=person.province_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_record_paper(membership=membership, data=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.PipelineError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The paper application was recorded."))
            return redirect("members:membership", pk=membership.pk)
    return render(request, "members/paper_application.html", {"form": form, "membership": membership})


# --- the public application form ---------------------------------------------------------------


def invitation_short_link(request: HttpRequest, code: str) -> HttpResponse:
    """``/a/<code>`` from a printed letter: on to the personal application link."""
    invitation = services.invitation_from_short_code(code)
    if invitation is None:
        raise Http404
    return redirect("members:apply", signed=services.invitation_signed_token(invitation))


def welcome(request: HttpRequest, signed: str) -> HttpResponse:
    """Her one-time sign-in link (from the welcome message): signs her in and opens
    "My surveys". A used, expired or forged link explains what to do instead."""
    from django.contrib.auth import login

    try:
        user = services.user_from_welcome_link(signed)
    except services.WelcomeLinkInvalid as exc:
        return render(request, "members/welcome_invalid.html", {"message": str(exc)}, status=410)
    if request.method == "POST":
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! You are signed in."))
        return redirect("surveys:list")
    # A confirmation step: link previews in mail and chat apps open the link with GET,
    # which must not use it up.
    return render(request, "members/welcome.html", {"account": user})


def apply(request: HttpRequest, signed: str) -> HttpResponse:
    """The membership application behind a personal invitation link (no login needed)."""
    try:
        invitation = services.invitation_from_link(signed)
    except services.InvitationInvalid as exc:
        return render(request, "members/apply_invalid.html", {"reason": str(exc)}, status=410)
    person = invitation.membership.person
    form = ApplicationForm(
        request.POST or None, initial=ProfileForm.initial_for(person), province_id=person.province_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit(invitation=invitation, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        except (services.PipelineError, services.InvitationInvalid) as exc:
            return render(request, "members/apply_invalid.html", {"reason": str(exc)}, status=410)
        else:
            return render(request, "members/apply_done.html", {"membership": invitation.membership})
    return render(
        request,
        "members/apply.html",
        {"form": form, "membership": invitation.membership, "consent_version": services.CONSENT_VERSION},
    )


# --- dashboard -----------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Representation of members per province or per network, with charts."""
    require_staff(request.user)
    networks = Network.objects.visible_to(request.user)
    provinces = Province.objects.visible_to(request.user).filter(networks__isnull=False).distinct()
    network_id = _int_or_none(request.GET.get("network"))
    province_id = _int_or_none(request.GET.get("province"))
    selected = selected_province = None
    scoped = networks
    if network_id:
        selected = get_for_user_or_404(networks, request.user, pk=network_id)
        scoped = networks.filter(pk=selected.pk)
    elif province_id:
        selected_province = get_for_user_or_404(provinces, request.user, pk=province_id)
        scoped = networks.filter(province=selected_province)
    # The content is the same for everyone with the same scope and choice; it is drawn
    # once per version of the people tables (raised by the database on every write) and
    # year (ages), then served from the cache.
    key = make_key(
        "dashboard", data_version("people"), scope_key(request.user), network_id, province_id, timezone.localdate().year
    )
    content = cached(
        key,
        lambda: render_to_string(
            "members/_dashboard_content.html",
            {
                **_dashboard_figures(scoped),
                "networks": networks.select_related("province"),
                "provinces": provinces,
                "selected": selected,
                "selected_province": selected_province,
            },
        ),
    )
    return render(request, "members/dashboard.html", {"content": content})


def _dashboard_figures(scoped: Any) -> dict[str, Any]:
    figures = representation_for(scoped)
    charts = {}
    if figures["total"]:
        # Withheld groups ("<5", "—") are left out of the charts.
        charts["category"] = bar_chart_svg(
            [str(label) for _c, label, n in figures["by_category"] if isinstance(n, int)],
            [n for _c, _l, n in figures["by_category"] if isinstance(n, int)],
            title=_("Members by category"),
        )
        charts["ethnicity"] = bar_chart_svg(
            [name for name, n in figures["by_ethnicity"] if isinstance(n, int)],
            [n for _name, n in figures["by_ethnicity"] if isinstance(n, int)],
            title=_("Members by ethnic group"),
        )
        charts["age"] = bar_chart_svg(
            [
                _("unknown") if label == "unknown" else label
                for label, n in figures["by_age_band"]
                if isinstance(n, int)
            ],
            [n for _l, n in figures["by_age_band"] if isinstance(n, int)],
            title=_("Members by age"),
        )
    return {"figures": figures, "charts": charts}


# --- self-service --------------------------------------------------------------------------------


def _own_person(request: HttpRequest) -> Person:
    person = Person.objects.visible_to(request.user).filter(user=request.user).select_related("commune").first()
    if person is None or person.anonymised_at:
        raise Http404
    return person


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    person = _own_person(request)
    memberships = person.memberships.select_related("network")
    return render(
        request,
        "members/my_profile.html",
        {
            "person": person,
            "memberships": memberships,
            "consents": person.consents.all(),
            "withdrawals": person.consent_withdrawals.all(),
        },
    )


@login_required
def my_profile_edit(request: HttpRequest) -> HttpResponse:
    return _edit_profile(request, _own_person(request), "members:me", {}, channel=Consent.Source.PROFILE)


@login_required
def my_data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """Her data as JSON or Excel, headings and values in her language (labels, not codes)."""
    person = _own_person(request)
    sections = person_data_sections(person)
    if fmt == "json":
        data = {s.title: [dict(zip(s.headers, row, strict=True)) for row in s.rows] for s in sections}
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "xlsx":
        from portal.spreadsheets import neutralise

        book = tablib.Databook()
        for section in sections:
            sheet = tablib.Dataset(title=section.title[:31], headers=section.headers)
            for row in section.rows:
                sheet.append([neutralise(value) for value in row])
            book.add_sheet(sheet)
        response = HttpResponse(
            book.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="my-data.{fmt}"'
    return response


def _confirmed_step(
    request: HttpRequest, *, title: str, explanation: str, button: str, done: Callable[[Person, str], str]
) -> HttpResponse:
    """A page that explains a step and asks her to confirm it (with an optional reason);
    a GET never changes anything."""
    person = _own_person(request)
    form = ConfirmWithReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        messages.success(request, done(person, form.cleaned_data["reason"]))
        return redirect("members:me")
    context = {"form": form, "title": title, "explanation": explanation, "button": button}
    return render(request, "members/my_confirm.html", context)


@login_required
def my_removal_request(request: HttpRequest) -> HttpResponse:
    def done(person: Person, reason: str) -> str:
        services.person_request_removal(person=person, reason=reason)
        return _("Your request was sent to the provincial Union.")

    return _confirmed_step(
        request,
        title=_("Ask for my data to be removed"),
        explanation=_(
            "The provincial Union will wipe your name, contact details, organisation, login and survey links. "
            "Only counts without your identity stay (category, ethnic group, commune/ward, age band). "
            "This cannot be undone."
        ),
        button=_("Send my request"),
        done=done,
    )


@login_required
def my_consent_withdraw(request: HttpRequest) -> HttpResponse:
    def done(person: Person, reason: str) -> str:
        services.consent_withdraw(person=person, actor=request.user, channel="self", reason=reason)
        return _("Your consent was withdrawn: your ethnic group was cleared and you will no longer be contacted.")

    return _confirmed_step(
        request,
        title=_("Withdraw my consent"),
        explanation=_(
            "Your ethnic group will be cleared, and you will no longer be invited to events, sent surveys or "
            "messages. Your record stays with the provincial Union (you may also ask for its removal)."
        ),
        button=_("Withdraw my consent"),
        done=done,
    )
