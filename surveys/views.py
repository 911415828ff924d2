"""Survey pages: staff deploy and read results; members fill on their phones."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Event
from members.models import Person
from portal.access import get_for_user_or_404, parse_id, require, require_staff
from portal.charts import bar_chart_svg, paired_bar_chart_svg
from portal.links import absolute_url
from portal.models import AccessLog
from portal.qr import qr_png, qr_svg
from portal.services import access_log_record
from portal.spreadsheets import neutralise
from surveys import offline, selectors
from surveys.forms import DeploymentForm, ResultFilterForm, answers_from_post, answers_from_response
from surveys.models import Answer, Deployment, Question, Response, SurveyTemplate
from surveys.services import AnswerInput, deployment_create, rateable_speakers, response_find, response_save


def _speaker_scores_from_post(post: Any) -> dict[str, str]:
    """``speaker_<id>`` radio values from the fill form, keyed by speaker id."""
    return {key.removeprefix("speaker_"): value for key, value in post.items() if key.startswith("speaker_")}


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Staff: the deployments of their scope. Members: the open surveys for them."""
    if request.user.is_portal_staff:
        return render(
            request,
            "surveys/deployment_list.html",
            {
                "deployments": selectors.deployment_list_for(request.user),
                "templates": SurveyTemplate.objects.visible_to(request.user),
            },
        )
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
    return render(
        request,
        "surveys/deployment_detail.html",
        {"deployment": deployment, "link": link, "qr": qr_svg(link, box_size=6), "counts": counts},
    )


@login_required
def deployment_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The short link as a PNG QR code, to post in a Zalo group or print."""
    deployment = _deployment_for_staff(request, pk)
    response = HttpResponse(qr_png(_short_link(request, deployment)), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{deployment.token}.png"'
    return response


def _question_rows(
    questions: list[Question], answers: dict[str, AnswerInput], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Questions grouped by section, each with what was typed and its error messages."""
    sections: list[dict[str, Any]] = []
    for question in questions:
        if not sections or sections[-1]["section"] != question.section:
            sections.append({"section": question.section, "rows": []})
        given = answers.get(str(question.pk), AnswerInput())
        sections[-1]["rows"].append(
            {"q": question, "given": given, "errors": errors.get(f"q{question.pk}", []), "number": len(sections)}
        )
    return sections


@login_required
@offline.offline_capable
@require_http_methods(["GET", "POST"])
def survey_fill(request: HttpRequest, token: str) -> HttpResponse:
    """The member's questionnaire (the short link). "Save and continue later" keeps a
    draft; "Submit" checks required answers. Invalid input is shown again as typed.
    ``?shell=1`` is the blank page kept on the phone for filling offline; a response
    sent from the phone's queue gets a JSON answer (``surveys.offline``)."""
    deployment = get_for_user_or_404(Deployment.objects.select_related("template"), request.user, token=token)
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    thanks_url = reverse("surveys:thanks", args=[token])
    queued = offline.is_offline_send(request)
    client_id = offline.client_id_from(request) if queued else None
    if queued and offline.already_stored(deployment, client_id):
        return offline.stored(next_url=thanks_url, duplicate=True)
    shell = request.method == "GET" and request.GET.get("shell") == "1"
    if shell and request.GET.get("lang") in dict(settings.LANGUAGES):
        # Both languages' shells are kept on the phone; each is asked for by name.
        translation.activate(request.GET["lang"])
        request.LANGUAGE_CODE = translation.get_language()
    response = None if shell else response_find(deployment=deployment, person=person)
    if response and response.status == Response.Status.SUBMITTED:
        if queued:
            return offline.refused(
                _("You have already answered this survey; there is one response per person."), status=409
            )
        messages.info(request, _("You have already answered this survey. Thank you!"))
        return redirect("surveys:thanks", token=token)
    if not deployment.is_open() and not shell:
        not_yet = timezone.now() < deployment.opens_at
        if queued:
            reason = (
                _("This survey is not open yet.")
                if not_yet
                else _("This survey is closed; answers are no longer accepted.")
            )
            return offline.refused(reason, status=403 if not_yet else 410)
        return render(
            request,
            "surveys/closed.html",
            {"deployment": deployment, "not_yet": not_yet},
            status=403 if not_yet else 410,
        )
    questions = selectors.template_questions(deployment.template)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        answers = answers_from_post(request.POST)
        scores = _speaker_scores_from_post(request.POST)
        submit = "submit" in request.POST
        try:
            response_save(
                deployment=deployment,
                person=person,
                answers=answers,
                submit=submit,
                speaker_scores=scores,
                client_id=client_id,
            )
        except ValidationError as exc:
            errors = _errors(exc)
            status = 400
            if queued:
                return offline.refused(offline.reason_from_errors(errors, questions))
        else:
            if queued:
                return offline.stored(next_url=thanks_url if submit else "")
            if submit:
                return redirect("surveys:thanks", token=token)
            messages.success(request, _("Your answers are saved. You can come back to this link to finish."))
            return redirect("surveys:fill", token=token)
    else:
        answers = answers_from_response(
            Response.objects.prefetch_related("answers__question").filter(pk=response.pk).first() if response else None
        )
        scores = dict(response.speaker_ratings.values_list("speaker_id", "score")) if response else {}
    answered = sum(1 for q in questions if not answers.get(str(q.pk), AnswerInput()).is_empty())
    speaker_rows = [(s, str(scores.get(s.pk, scores.get(str(s.pk), "")))) for s in rateable_speakers(deployment)]
    context = {
        "deployment": deployment,
        "sections": _question_rows(questions, answers, errors),
        "form_errors": errors.get("__all__", []),
        "has_errors": bool(errors),
        "answered": answered,
        "total": len(questions),
        "paper": False,
        "speaker_rows": speaker_rows,
        "speaker_errors": errors.get("speakers", []),
        **offline.page_context(
            request, key=offline.draft_key("fill", deployment.pk, person.pk), shell=shell, next_url=thanks_url
        ),
    }
    if shell:
        # The copy kept on the phone carries no name: the header shows no one signed in.
        context["user"] = AnonymousUser()
    return render(request, "surveys/fill.html", context, status=status)


@login_required
def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    deployment = get_for_user_or_404(Deployment.objects.select_related("template"), request.user, token=token)
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
            "sections": _question_rows(questions, answers, errors),
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
    deployment = _deployment_for_staff(request, pk)
    choices = selectors.result_filter_choices(deployment=deployment, user=request.user)
    form = ResultFilterForm(request.GET or None, choices=choices)
    results = selectors.survey_results(deployment=deployment, user=request.user, filters=form.filters())
    for result in results.questions:
        # Charts for the questions that decide the trainings (kept few: each is a figure).
        if result.question.is_top_need and result.respondents:
            result.chart = bar_chart_svg(
                [o.option.text[:45] for o in result.options], [o.percent for o in result.options]
            )
    return render(request, "surveys/results.html", {"deployment": deployment, "form": form, "results": results})


@login_required
def province_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    template = get_for_user_or_404(SurveyTemplate, request.user, pk=pk)
    data = selectors.province_comparison(template=template, user=request.user)
    return render(request, "surveys/comparison.html", {"template": template, **data})


@login_required
def prepost(request: HttpRequest, event_pk: int) -> HttpResponse:
    """Pre/post analysis of one training: matched pairs and the Wilcoxon test."""
    require_staff(request.user)
    event = get_for_user_or_404(Event, request.user, pk=event_pk)
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
    return render(request, "surveys/prepost.html", {"event": event, "chart": chart, **analysis})


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
