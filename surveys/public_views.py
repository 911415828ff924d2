"""Survey pages reached without logging in: her personal link, and the group link shared
in a Zalo group (anonymous, or identified by her phone and a code).

The fill page itself is shared with the signed-in short link (:func:`fill_page`); its
script (autosave, leave warning, progress) is ``static/surveys/fill.js``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Person
from portal.links import absolute_url
from surveys import offline, selectors, services
from surveys.forms import answers_from_post, answers_from_response
from surveys.models import Deployment, Question, Response
from surveys.services import AnswerInput, rateable_speakers, response_find, response_save

BROWSER_COOKIE = "survey_browser"
ANONYMOUS_NEW_PER_HOUR = 20  # new anonymous responses per IP and deployment


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _speaker_scores_from_post(post: Any) -> dict[str, str]:
    return {key.removeprefix("speaker_"): value for key, value in post.items() if key.startswith("speaker_")}


def question_rows(
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


def og_context(deployment: Deployment) -> dict[str, str]:
    """Open Graph tags for the link preview in Zalo: the survey's title only, never
    anything about a person."""
    return {
        "og_title": deployment.display_title,
        "og_description": _("Survey of the women leaders' network. Your answers help plan the trainings."),
        "og_url": absolute_url("surveys:fill", deployment.token),
    }


def closed_page(request: HttpRequest, deployment: Deployment) -> HttpResponse:
    not_yet = timezone.now() < deployment.opens_at
    return render(
        request,
        "surveys/closed.html",
        {"deployment": deployment, "not_yet": not_yet},
        status=403 if not_yet else 410,
    )


def fill_page(
    request: HttpRequest,
    *,
    deployment: Deployment,
    person: Person | None,
    done_url: str,
    draft_who: object,
    browser_key: str | None = None,
    province_id: int | None = None,
    extra: dict[str, Any] | None = None,
    submitted_redirect: str | None = None,
) -> HttpResponse:
    """Her questionnaire: GET shows it with the saved draft; POST saves a draft ("save",
    or the autosave script's ``X-Autosave`` request, answered in JSON), submits, or
    takes a response queued on the phone (``surveys.offline``, answered in JSON).
    Invalid input is shown again as typed and nothing is stored. A submitted response
    is shown read-only (or, with ``submitted_redirect``, leads to the thank-you page).
    ``draft_who`` names whose draft the phone keeps offline (never shown)."""
    autosave = request.headers.get("X-Autosave") == "1"
    queued = offline.is_offline_send(request)
    client_id = offline.client_id_from(request) if queued else None
    if queued and offline.already_stored(deployment, client_id):
        return offline.stored(next_url=done_url, duplicate=True)
    shell = request.method == "GET" and request.GET.get("shell") == "1"
    if shell and request.GET.get("lang") in dict(settings.LANGUAGES):
        # Both languages' shells are kept on the phone; each is asked for by name.
        translation.activate(request.GET["lang"])
        request.LANGUAGE_CODE = translation.get_language()
    response = None if shell else response_find(deployment=deployment, person=person, browser_key=browser_key)
    questions = selectors.template_questions(deployment.template)
    if response and response.status == Response.Status.SUBMITTED:
        if queued:
            return offline.refused(
                _("You have already answered this survey; there is one response per person."), status=409
            )
        if autosave:
            return JsonResponse({"ok": False, "errors": [_("This survey is already submitted.")]}, status=409)
        if submitted_redirect:
            messages.info(request, _("You have already answered this survey. Thank you!"))
            return redirect(submitted_redirect)
        answers = answers_from_response(
            Response.objects.prefetch_related("answers__question").filter(pk=response.pk).first()
        )
        return render(
            request,
            "surveys/fill.html",
            {
                "deployment": deployment,
                "sections": question_rows(questions, answers, {}),
                "readonly": True,
                "answered": sum(1 for q in questions if not answers.get(str(q.pk), AnswerInput()).is_empty()),
                "total": len(questions),
                "submitted_at": response.submitted_at,
                **(extra or {}),
            },
        )
    if not deployment.is_open() and not shell:
        not_yet = timezone.now() < deployment.opens_at
        if queued:
            reason = (
                _("This survey is not open yet.")
                if not_yet
                else _("This survey is closed; answers are no longer accepted.")
            )
            return offline.refused(reason, status=403 if not_yet else 410)
        if autosave:
            return JsonResponse({"ok": False, "errors": [_("This survey is closed.")]}, status=410)
        return closed_page(request, deployment)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        answers = answers_from_post(request.POST)
        scores = _speaker_scores_from_post(request.POST)
        submit = "submit" in request.POST and not autosave
        try:
            response_save(
                deployment=deployment,
                person=person,
                answers=answers,
                submit=submit,
                speaker_scores=scores,
                browser_key=browser_key,
                province_id=province_id,
                client_id=client_id,
            )
        except ValidationError as exc:
            errors = _errors(exc)
            status = 400
            if queued:
                return offline.refused(offline.reason_from_errors(errors, questions))
            if autosave:
                return JsonResponse({"ok": False, "errors": errors}, status=400)
        else:
            answered = sum(1 for q in questions if not answers.get(str(q.pk), AnswerInput()).is_empty())
            if queued:
                return offline.stored(next_url=done_url if submit else "")
            if autosave:
                return JsonResponse(
                    {"ok": True, "answered": answered, "total": len(questions), "saved_at": timezone.now().isoformat()}
                )
            if submit:
                return redirect(done_url)
            messages.success(request, _("Your answers are saved. You can come back to this link to finish."))
            return redirect(request.path)
    else:
        answers = answers_from_response(
            Response.objects.prefetch_related("answers__question").filter(pk=response.pk).first() if response else None
        )
        scores = dict(response.speaker_ratings.values_list("speaker_id", "score")) if response else {}
    answered = sum(1 for q in questions if not answers.get(str(q.pk), AnswerInput()).is_empty())
    speaker_rows = [(s, str(scores.get(s.pk, scores.get(str(s.pk), "")))) for s in rateable_speakers(deployment)]
    context = {
        "deployment": deployment,
        "sections": question_rows(questions, answers, errors),
        "form_errors": errors.get("__all__", []),
        "has_errors": bool(errors),
        "answered": answered,
        "total": len(questions),
        "paper": False,
        "speaker_rows": speaker_rows,
        "speaker_errors": errors.get("speakers", []),
        **(extra or {}),
        **offline.page_context(
            request, key=offline.draft_key("fill", deployment.pk, draft_who), shell=shell, next_url=done_url
        ),
    }
    if shell:
        # The copy kept on the phone carries no name: the header shows no one signed in.
        context["user"] = AnonymousUser()
        context.pop("respondent_name", None)
    return render(request, "surveys/fill.html", context, status=status)


def _invalid(request: HttpRequest, message: str, status: int = 404) -> HttpResponse:
    return render(request, "surveys/link_invalid.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def personal_fill(request: HttpRequest, token: str, signed: str) -> HttpResponse:
    """Her personal link: opens her own questionnaire without logging in, keeps her
    draft, and is read-only once she submitted. A forged, expired or other survey's
    link shows a clear page and stores nothing."""
    try:
        invitation = services.invitation_from_link(token=token, signed=signed)
    except services.LinkInvalid as exc:
        if offline.is_offline_send(request):
            return offline.refused(str(exc), status=404)
        if request.headers.get("X-Autosave") == "1":
            return JsonResponse({"ok": False, "errors": [str(exc)]}, status=404)
        return _invalid(request, str(exc))
    deployment = invitation.deployment
    return fill_page(
        request,
        deployment=deployment,
        person=invitation.person,
        done_url=request.path,
        draft_who=f"i{invitation.pk}",
        extra={"personal": True, "respondent_name": invitation.person.full_name},
    )


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def group_link(request: HttpRequest, deployment: Deployment) -> HttpResponse:
    """The short link for someone not signed in: the anonymous form (one response per
    browser, rate-limited per address) or the phone identification page."""
    if deployment.link_mode == Deployment.LinkMode.ANONYMOUS:
        return _anonymous_fill(request, deployment)
    return identify_phone(request, deployment)


def _anonymous_fill(request: HttpRequest, deployment: Deployment) -> HttpResponse:
    browser_key = request.COOKIES.get(BROWSER_COOKIE, "")
    if len(browser_key) < 20 or len(browser_key) > 64:
        browser_key = secrets.token_urlsafe(24)
    if request.method == "POST" and response_find(deployment=deployment, person=None, browser_key=browser_key) is None:
        key = f"survey-anon:{deployment.pk}:{_client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > ANONYMOUS_NEW_PER_HOUR:
            return render(
                request,
                "surveys/link_invalid.html",
                {"message": _("Too many answers from this connection. Please try again in an hour.")},
                status=429,
            )
    province_id = deployment.networks.values_list("province_id", flat=True).first()
    result = fill_page(
        request,
        deployment=deployment,
        person=None,
        browser_key=browser_key,
        province_id=province_id,
        draft_who=f"b{browser_key}",
        done_url=reverse("surveys:thanks", args=[deployment.token]),
        extra={"anonymous_link": True, **og_context(deployment)},
    )
    result.set_cookie(BROWSER_COOKIE, browser_key, max_age=365 * 24 * 3600, httponly=True, samesite="Lax")
    return result


def _code_state_key(deployment: Deployment) -> str:
    return f"survey-code-{deployment.pk}"


def identify_phone(request: HttpRequest, deployment: Deployment) -> HttpResponse:
    """Identified group link, step 1: she types her phone number and gets a code by SMS."""
    if not deployment.is_open():
        return closed_page(request, deployment)
    error = ""
    if request.method == "POST":
        try:
            state = services.identify_code_send(deployment=deployment, phone=request.POST.get("phone", ""))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            request.session[_code_state_key(deployment)] = state
            return redirect("surveys:identify_code", token=deployment.token)
    return render(
        request,
        "surveys/identify.html",
        {"deployment": deployment, "error": error, "phone": request.POST.get("phone", ""), **og_context(deployment)},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def identify_code(request: HttpRequest, token: str) -> HttpResponse:
    """Identified group link, step 2: the code from the SMS leads to her personal form.
    Four wrong codes lock the code; she then asks for a new one."""
    deployment = get_object_or_404(Deployment.objects.select_related("template", "event", "network"), token=token)
    state = request.session.get(_code_state_key(deployment))
    if not state:
        return redirect("surveys:fill", token=token)
    error = ""
    if request.method == "POST":
        try:
            invitation = services.identify_code_check(state=state, code=request.POST.get("code", ""))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            del request.session[_code_state_key(deployment)]
            return redirect(services.personal_link_path(invitation))
        finally:
            request.session.modified = True
    return render(
        request,
        "surveys/identify_code.html",
        {"deployment": deployment, "error": error, "locked": state.get("locked", False), **og_context(deployment)},
        status=400 if error else 200,
    )
