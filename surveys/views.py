"""Survey pages: staff deploy and read results; members fill on their phones."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Event
from members.models import Person
from portal.access import get_for_user_or_404, may, parse_id, require, require_staff
from portal.caching import page_content
from portal.charts import bar_chart_svg, paired_bar_chart_svg
from portal.links import absolute_url
from portal.models import AccessLog
from portal.qr import qr_png, qr_svg
from portal.services import access_log_record
from portal.spreadsheets import neutralise
from surveys import offline, public_views, selectors, services
from surveys.forms import DeploymentForm, ResultFilterForm, answers_from_post
from surveys.models import Answer, Deployment, Response, SurveyInvitation, SurveyTemplate
from surveys.services import AnswerInput, deployment_create, response_save


def _speaker_scores_from_post(post: Any) -> dict[str, str]:
    """``speaker_<id>`` radio values from the fill form, keyed by speaker id."""
    return {key.removeprefix("speaker_"): value for key, value in post.items() if key.startswith("speaker_")}


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


DEPLOYMENTS_PER_PAGE = 50


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Staff: the deployments of their scope. Members: the open surveys for them."""
    if may(request.user, "list_deployments"):

        def context() -> dict[str, Any]:
            page = Paginator(selectors.deployment_list_for(request.user), DEPLOYMENTS_PER_PAGE).get_page(
                request.GET.get("page")
            )
            return {
                "deployments": selectors.with_submitted_counts(page.object_list, request.user),
                "page": page,
                "templates": SurveyTemplate.objects.visible_to(request.user),
            }

        # Drawn once per version of the survey and people tables, scope, page and minute
        # (which surveys are open), then served from the cache.
        content = page_content(
            request,
            "survey-list",
            "surveys/_deployment_list_content.html",
            context,
            topics=["surveys", "people"],
            params=["page"],
            per_minute=True,
        )
        return render(request, "surveys/deployment_list.html", {"content": content})
    return render(request, "surveys/my_surveys.html", {"surveys": selectors.open_deployments_for_member(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def deployment_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = DeploymentForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        # Seeing a shared event is not running it: only its organisers deploy surveys on it.
        target = form.cleaned_data.get("event") or form.cleaned_data.get("network")
        if target is not None:
            require(request.user, "deploy_survey", target)
        try:
            deployment = deployment_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in _errors(exc).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("The survey is deployed; members with an e-mail address get the link."))
            return redirect("surveys:detail", pk=deployment.pk)
    return render(request, "surveys/deployment_form.html", {"form": form}, status=400 if form.errors else 200)


def _deployment_for_staff(request: HttpRequest, pk: int) -> Deployment:
    require_staff(request.user)
    return get_for_user_or_404(Deployment.objects.select_related("template", "network", "event"), request.user, pk=pk)


def _short_link(request: HttpRequest, deployment: Deployment) -> str:
    return absolute_url("surveys:fill", deployment.token)


@login_required
def deployment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deployment = _deployment_for_staff(request, pk)
    link = _short_link(request, deployment)
    counts = dict(
        Response.objects.visible_to(request.user)
        .filter(deployment=deployment)
        .values_list("status")
        .annotate(n=Count("id"))
    )
    not_answered = selectors.not_answered_for(deployment, request.user)
    return render(
        request,
        "surveys/deployment_detail.html",
        {
            "deployment": deployment,
            "link": link,
            "qr": qr_svg(link, box_size=6),
            "counts": counts,
            "rates": selectors.deployment_response_rates(deployment),
            "not_answered": list(not_answered) if not_answered is not None else None,
            "queued": SurveyInvitation.objects.filter(deployment=deployment, sent_at__isnull=True).count(),
        },
    )


@login_required
@require_POST
def deployment_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Provincial staff send the link again to people of their province who have not
    answered (all of them, or the ones ticked)."""
    deployment = _deployment_for_staff(request, pk)
    require(request.user, "see_who_has_not_answered", deployment)
    not_answered = selectors.not_answered_for(deployment, request.user)
    if not_answered is None:
        raise Http404
    ids = [int(v) for v in request.POST.getlist("invitation") if v.isdigit()]
    chosen = not_answered.filter(pk__in=ids) if ids else not_answered
    try:
        sent = services.invitations_resend(deployment=deployment, invitations=chosen)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, ngettext("%(n)s message sent again.", "%(n)s messages sent again.", sent) % {"n": sent}
        )
    return redirect("surveys:detail", pk=deployment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def guest_links(request: HttpRequest, event_pk: int, person_pk: int) -> HttpResponse:
    """From the check-in page: the personal survey links of someone at the event (a
    guest, most often) — sent by e-mail or SMS, or printed on a slip with QR codes."""
    require_staff(request.user)
    event = get_for_user_or_404(Event, request.user, pk=event_pk)
    person = get_for_user_or_404(Person, request.user, pk=person_pk)
    invitations = services.guest_survey_invitations(event=event, person=person)
    if request.method == "POST":
        channel = request.POST.get("channel", "")
        try:
            sent = services.guest_links_send(invitations=invitations, channel=channel)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, ngettext("%(n)s link sent.", "%(n)s links sent.", sent) % {"n": sent})
        return redirect("surveys:guest_links", event_pk=event.pk, person_pk=person.pk)
    links = []
    for invitation in invitations:
        url = services.personal_link(invitation)
        links.append({"invitation": invitation, "url": url, "qr": qr_svg(url, box_size=4)})
    return render(request, "surveys/guest_links.html", {"event": event, "person": person, "links": links})


@login_required
def deployment_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The short link as a PNG QR code, to post in a Zalo group or print."""
    deployment = _deployment_for_staff(request, pk)
    response = HttpResponse(qr_png(_short_link(request, deployment)), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{deployment.token}.png"'
    return response


@offline.offline_capable
@require_http_methods(["GET", "POST"])
def survey_fill(request: HttpRequest, token: str) -> HttpResponse:
    """The short link (shared in a Zalo group). A signed-in member gets her own
    questionnaire ("save and continue later", autosave, submit; ``?shell=1`` and queued
    sends for filling offline, see ``surveys.offline``). Someone not signed in gets the
    group link's mode: the anonymous form, or her phone number and a code that lead to
    her personal form."""
    if not request.user.is_authenticated:
        deployment = get_object_or_404(Deployment.objects.select_related("template", "event", "network"), token=token)
        if offline.is_offline_send(request) and deployment.link_mode != Deployment.LinkMode.ANONYMOUS:
            # A phone's queued answers whose session ended: she signs in again to send them.
            return redirect_to_login(request.get_full_path())
        return public_views.group_link(request, deployment)
    deployment = get_for_user_or_404(
        Deployment.objects.select_related("template", "event", "network"), request.user, token=token
    )
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    thanks_url = reverse("surveys:thanks", args=[token])
    return public_views.fill_page(
        request,
        deployment=deployment,
        person=person,
        done_url=thanks_url,
        draft_who=person.pk,
        submitted_redirect=thanks_url,
    )


def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    """Thanks after submitting (the anonymous group link lands here too: it shows only
    the survey's title)."""
    deployments = Deployment.objects.select_related("template", "event", "network")
    if request.user.is_authenticated:
        deployment = get_for_user_or_404(deployments, request.user, token=token)
    else:
        deployment = deployments.filter(token=token, link_mode=Deployment.LinkMode.ANONYMOUS).first()
        if deployment is None:
            return redirect_to_login(request.get_full_path())
    return render(request, "surveys/thanks.html", {"deployment": deployment})


@login_required
@offline.offline_capable
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff type in a paper questionnaire, for a person of their scope (or, for an
    anonymous survey, for nobody in particular). On a tablet at a venue the page works
    offline: each entry is queued on the tablet and sent when online (``surveys.offline``)."""
    deployment = _deployment_for_staff(request, pk)
    queued = offline.is_offline_send(request)
    client_id = offline.client_id_from(request) if queued else None
    if queued and offline.already_stored(deployment, client_id):
        return offline.stored(duplicate=True)
    people = (
        Person.objects.visible_to(request.user)
        .filter(memberships__network__in=deployment.networks.all())
        .distinct()
        .order_by("full_name")
    )
    questions = selectors.template_questions(deployment.template)
    errors: dict[str, list[str]] = {}
    answers: dict[str, AnswerInput] = {}
    status = 200
    if request.method == "POST":
        answers = answers_from_post(request.POST)
        person = None
        person_id = request.POST.get("person", "")
        if person_id:
            person = people.filter(pk=parse_id(person_id)).first() if parse_id(person_id) else None
            if person is None:
                errors["__all__"] = [_("Choose a person of this survey's networks.")]
        elif not deployment.is_anonymous:
            errors["__all__"] = [_("Choose whose questionnaire this is.")]
        if not errors:
            province_id = request.user.province_id or (
                deployment.networks.values_list("province_id", flat=True).first()
            )
            try:
                response_save(
                    deployment=deployment,
                    person=person,
                    answers=answers,
                    submit=True,
                    entered_by=request.user,
                    province_id=province_id,
                    client_id=client_id,
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                if queued:
                    return offline.stored()
                messages.success(request, _("The paper questionnaire is saved."))
                return redirect("surveys:paper", pk=deployment.pk)
        if queued:
            return offline.refused(offline.reason_from_errors(errors, questions))
        status = 400
    return render(
        request,
        "surveys/fill.html",
        {
            "deployment": deployment,
            "sections": public_views.question_rows(questions, answers, errors),
            "form_errors": errors.get("__all__", []),
            "has_errors": bool(errors),
            "paper": True,
            "people": people,
            "chosen_person": request.POST.get("person", ""),
            **offline.page_context(
                request,
                key=offline.draft_key("paper", deployment.pk, request.user.pk),
                shell=request.GET.get("shell") == "1",
            ),
        },
        status=status,
    )


@login_required
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results with their filters. The page's content (filters, figures, charts) is
    the same for everyone who sees the same responses (``scope_key``), so it is rendered
    once per aggregate version, scope, language and filter values and then served from
    the cache: a submitted or withdrawn response changes the version."""
    from django.core.cache import cache

    from portal.caching import DEFAULT_TIMEOUT, make_key, scope_key
    from surveys.aggregates import results_version

    deployment = _deployment_for_staff(request, pk)
    asked = {name: request.GET[name] for name in selectors.FILTER_FIELDS if request.GET.get(name)}
    version = results_version([deployment.pk])
    key = make_key("survey-results-page", deployment.pk, version, scope_key(request.user), sorted(asked.items()))
    content = cache.get(key)
    if content is None:
        choices = selectors.result_filter_choices(deployment=deployment, user=request.user)
        form = ResultFilterForm(asked or None, choices=choices)
        results = selectors.survey_results(deployment=deployment, user=request.user, filters=form.filters())
        for result in results.questions:
            # Charts for the questions that decide the trainings (kept few: each is a figure).
            if result.question.is_top_need and result.respondents:
                result.chart = bar_chart_svg(
                    [o.option.text[:45] for o in result.options], [o.percent for o in result.options]
                )
        content = render_to_string("surveys/_results_content.html", {"form": form, "results": results})
        if not form.is_bound or form.is_valid():  # a made-up filter value is not kept
            cache.set(key, content, DEFAULT_TIMEOUT)
    return render(request, "surveys/results.html", {"deployment": deployment, "content": content})


@login_required
def province_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    template = get_for_user_or_404(SurveyTemplate, request.user, pk=pk)
    # Drawn once per version of the survey and network tables, then served from the cache.
    content = page_content(
        request,
        "province-comparison",
        "surveys/_comparison_content.html",
        lambda: {"template": template, **selectors.province_comparison(template=template, user=request.user)},
        topics=["surveys", "networks"],
        extra=[template.pk],
    )
    return render(request, "surveys/comparison.html", {"template": template, "content": content})


@login_required
def prepost(request: HttpRequest, event_pk: int) -> HttpResponse:
    """Pre/post analysis of one training: matched pairs and the Wilcoxon test."""
    require_staff(request.user)
    event = get_for_user_or_404(Event, request.user, pk=event_pk)

    def context() -> dict[str, Any]:
        analysis = selectors.prepost_analysis(event=event, user=request.user)
        shown = [m for m in analysis["measures"] if m.pairs]
        chart = (
            paired_bar_chart_svg(
                [m.label[:40] for m in shown],
                [m.mean_before or 0 for m in shown],
                [m.mean_after or 0 for m in shown],
                before_label=_("Before"),
                after_label=_("After"),
            )
            if shown
            else ""
        )
        return {"event": event, "chart": chart, **analysis}

    # The analysis of the responses her scope sees, drawn once per version of the survey
    # and event tables, then served from the cache.
    content = page_content(
        request,
        "prepost",
        "surveys/_prepost_content.html",
        context,
        topics=["surveys", "events"],
        extra=[event.pk],
    )
    return render(request, "surveys/prepost.html", {"event": event, "content": content})


@login_required
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Raw submitted responses as Excel, one row per response and one column per
    question. Names and contact details only for staff of the response's province."""
    from openpyxl import Workbook

    deployment = _deployment_for_staff(request, pk)
    questions = selectors.template_questions(deployment.template)
    responses = (
        Response.objects.visible_to(request.user)
        .filter(deployment=deployment, status=Response.Status.SUBMITTED)
        .select_related("person", "province", "network")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("option")))
        .order_by("pk")
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Responses"))
    anonymous = deployment.is_anonymous
    personal = [_("Full name"), _("E-mail"), _("Phone"), _("Year of birth"), _("Ethnicity")]
    if anonymous:
        # Nothing that could lead back to her: no id, time, source, profile copy or
        # person; rows in the order of their keyed hash, not of arrival (issue 11).
        responses = responses.order_by("respondent_key")
        sheet.append([_("Province"), _("Network")] + [q.code for q in questions])
    else:
        sheet.append(
            [_("Response"), _("Source"), _("Submitted at"), _("Province"), _("Network"), _("Category"), *personal]
            + [q.code for q in questions]
        )
    with_personal = False
    for response in responses.iterator(chunk_size=500):
        by_question: dict[int, list[str]] = {}
        for answer in response.answers.all():
            if answer.option_id:
                value = answer.option.text_vi
            elif answer.number is not None:
                value = f"{answer.number.normalize():f}"
            else:
                value = answer.text
            by_question.setdefault(answer.question_id, []).append(value)
        answers = ["; ".join(by_question.get(q.pk, [])) for q in questions]
        if anonymous:
            row = [response.province.name, response.network.name if response.network else "", *answers]
            sheet.append([neutralise(cell) for cell in row])
            continue
        person = response.person
        if person and selectors.is_personal_data_allowed(request.user, response):
            with_personal = True
            personal_cells = [
                person.full_name,
                person.email,
                str(person.phone or ""),
                person.year_of_birth,
                person.ethnicity,
            ]
        else:
            personal_cells = [""] * len(personal)
        row = [
            response.pk,
            response.get_source_display(),
            response.submitted_at.replace(tzinfo=None) if response.submitted_at else None,
            response.province.name,
            response.network.name if response.network else "",
            response.get_category_display(),
            *personal_cells,
            *answers,
        ]
        sheet.append([neutralise(cell) for cell in row])
    if with_personal:
        access_log_record(
            user=request.user, action=AccessLog.Action.EXPORT, what=f"khao-sat-{deployment.pk}.xlsx", rows=None
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    result["Content-Disposition"] = f'attachment; filename="khao-sat-{deployment.pk}.xlsx"'
    return result


@login_required
def trainer_roster(request: HttpRequest) -> HttpResponse:
    """Staff: the trainers and speakers they may use, with their post-event ratings."""
    from events.models import Speaker

    require_staff(request.user)
    summary = selectors.speaker_rating_summary(request.user)
    speakers = Speaker.objects.visible_to(request.user).order_by("full_name")
    rows = [(speaker, summary.get(speaker.pk)) for speaker in speakers]
    return render(request, "surveys/trainer_roster.html", {"rows": rows})
