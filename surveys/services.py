"""Changes in the surveys app: versioning templates, deploying them, saving responses.

Every service is keyword-only, runs in one transaction and validates before it writes,
so bad input raises :class:`django.core.exceptions.ValidationError` and stores nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Event, Speaker
from members.models import Person
from networks.models import Network
from portal.access import may
from portal.collation import people_order
from portal.links import absolute
from portal.models import User
from portal.text import clean_text
from surveys.aggregates import results_refresh
from surveys.models import (
    Answer,
    Deployment,
    Option,
    Question,
    Response,
    Section,
    SpeakerRating,
    SurveyInvitation,
    SurveyTemplate,
)

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000


@dataclass
class AnswerInput:
    """What a respondent gave for one question, as typed (strings, not yet checked)."""

    options: list[str] = field(default_factory=list)
    value: str = ""
    other: str = ""

    def is_empty(self) -> bool:
        return not self.options and not self.value.strip() and not self.other.strip()


# --- templates ---------------------------------------------------------------------------


@transaction.atomic
def template_new_version(*, template: SurveyTemplate) -> SurveyTemplate:
    """Copy ``template`` with its sections, questions, options and conditions into the
    next version of the same family, and return the copy (unlocked, no responses)."""
    latest = SurveyTemplate.objects.filter(family=template.family).order_by("-version").first()
    copy = SurveyTemplate(
        family=template.family,
        version=latest.version + 1,
        kind=template.kind,
        title_vi=template.title_vi,
        title_en=template.title_en,
        intro_vi=template.intro_vi,
        intro_en=template.intro_en,
    )
    copy.full_clean()
    copy.save()
    sections: dict[int, Section] = {}
    for section in template.sections.all():
        old_pk = section.pk
        section.pk = None
        section.template = copy
        section.save()
        sections[old_pk] = section
    options: dict[int, Option] = {}
    conditions: list[tuple[Question, int]] = []
    for question in template.questions.prefetch_related("options"):
        old_options = list(question.options.all())
        condition = question.show_if_option_id
        question.pk = None
        question.template = copy
        question.section = sections.get(question.section_id)
        question.show_if_option = None
        question.save()
        if condition:
            conditions.append((question, condition))
        for option in old_options:
            old_pk = option.pk
            option.pk = None
            option.question = question
            option.save()
            options[old_pk] = option
    for question, old_option in conditions:
        question.show_if_option = options[old_option]
        question.save(update_fields=["show_if_option"])
    return copy


# Fields a respondent's answers depend on: changing them on a locked version would
# change what stored answers mean, so the change goes to a new version instead.
MEANING_FIELDS = {"kind", "code", "scale_min", "scale_max", "number_min", "number_max", "is_knowledge", "text_vi"}


@transaction.atomic
def question_update(*, question: Question, **changes: Any) -> Question:
    """Apply ``changes`` to ``question`` and return the question that now carries them.

    When the template already has responses and a change touches what answers mean
    (kind, code, range, scoring, wording), the template is copied to a new version and
    the change is made there; the stored responses keep their version untouched."""
    unknown = set(changes) - {f.name for f in Question._meta.get_fields()}
    if unknown:
        raise ValidationError(_("Unknown question fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    target = question
    if set(changes) & MEANING_FIELDS and question.template.is_locked():
        new_template = template_new_version(template=question.template)
        target = new_template.questions.get(code=question.code)
    for name, value in changes.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    return target


# --- deployments -------------------------------------------------------------------------


@transaction.atomic
def deployment_create(
    *,
    user: User,
    template: SurveyTemplate,
    opens_at: datetime,
    closes_at: datetime,
    network: Network | None = None,
    event: Event | None = None,
    phase: str = "",
    is_anonymous: bool = False,
    link_mode: str = Deployment.LinkMode.IDENTIFIED,
    reminder_days: int = 2,
) -> Deployment:
    """Deploy ``template`` to a network (needs, evaluation, free) or to an event
    (before or after a training) and queue the e-mail invitations. Staff only deploy
    to networks and events they can see (the caller fetched them through the scope)."""
    errors: dict[str, str] = {}
    if bool(network) == bool(event):
        errors["network"] = _("Choose either a network or an event.")
    if template.kind == SurveyTemplate.Kind.TRAINING:
        if not event:
            errors["event"] = _("A pre/post training survey is deployed to an event.")
        if phase not in (Deployment.Phase.PRE, Deployment.Phase.POST):
            errors["phase"] = _("Say whether this is the survey before or after the training.")
        if is_anonymous:
            errors["is_anonymous"] = _("Pre/post surveys pair each person's answers, so they cannot be anonymous.")
        if link_mode == Deployment.LinkMode.ANONYMOUS:
            errors["link_mode"] = _("Pre/post surveys pair each person's answers: their group link must identify her.")
    elif phase:
        errors["phase"] = _("Only pre/post training surveys have a phase.")
    if opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = _("The closing date must be after the opening date.")
    if errors:
        raise ValidationError(errors)
    if not may(user, "deploy_survey", event or network):
        raise PermissionDenied
    deployment = Deployment(
        template=template,
        network=network,
        event=event,
        phase=phase,
        opens_at=opens_at,
        closes_at=closes_at,
        is_anonymous=is_anonymous,
        link_mode=link_mode or Deployment.LinkMode.IDENTIFIED,
        reminder_days=reminder_days if reminder_days is not None else 2,
        created_by=user,
    )
    deployment.full_clean()
    deployment.save()
    deployment.networks.set([network] if network else list(event.networks.all()))
    deployment_queue_invitations(deployment=deployment)
    if deployment.is_open():
        from surveys.tasks import send_survey_invitations

        # Already open: send now (in the worker); otherwise the scheduler sends at opening.
        transaction.on_commit(lambda: send_survey_invitations.delay(deployment.pk))
    return deployment


# --- responses ---------------------------------------------------------------------------


def _respondent_key(deployment: Deployment, person: Person | None, browser_key: str | None = None) -> str:
    if person is None and browser_key:
        # The anonymous group link: one response per browser (a random cookie), hashed.
        digest = hmac.new(settings.SURVEY_KEY.encode(), f"{deployment.pk}:b:{browser_key}".encode(), hashlib.sha256)
        return f"browser:{digest.hexdigest()[:40]}"
    if person is None:
        return f"paper:{uuid.uuid4().hex}"
    if deployment.is_anonymous:
        digest = hmac.new(settings.SURVEY_KEY.encode(), f"{deployment.pk}:{person.pk}".encode(), hashlib.sha256)
        return f"anon:{digest.hexdigest()[:40]}"
    return f"person:{person.pk}"


def _check_open(deployment: Deployment) -> None:
    if not deployment.is_open():
        if timezone.now() < deployment.opens_at:
            raise ValidationError(_("This survey is not open yet."))
        raise ValidationError(_("This survey is closed; answers are no longer accepted."))


def response_find(*, deployment: Deployment, person: Person | None, browser_key: str | None = None) -> Response | None:
    """The response ``person`` (or, on the anonymous group link, this browser) already
    has for ``deployment`` (draft or submitted)."""
    if person is None and not browser_key:
        return None
    key = _respondent_key(deployment, person, browser_key)
    return Response.objects.filter(deployment=deployment, respondent_key=key).first()


def _visible(question: Question, chosen: set[int]) -> bool:
    return question.show_if_option_id is None or question.show_if_option_id in chosen


def _parse_answers(
    questions: dict[int, Question], answers: Mapping[Any, AnswerInput], *, submit: bool
) -> tuple[list[Answer], dict[str, list[str]]]:
    """Check every answer against its question; return unsaved Answer rows and errors
    keyed by ``q<id>`` (or ``__all__`` for a question of another survey)."""
    errors: dict[str, list[str]] = {}
    rows: list[Answer] = []
    parsed: dict[int, AnswerInput] = {}
    for raw_id, given in answers.items():
        try:
            qid = int(raw_id)
        except (TypeError, ValueError):
            qid = None
        if qid not in questions:
            errors.setdefault("__all__", []).append(
                _("Question %(id)s does not belong to this survey.") % {"id": raw_id}
            )
            continue
        # Text hygiene at the entrance: no control character reaches an answer.
        parsed[qid] = AnswerInput(
            options=[clean_text(o) for o in given.options], value=clean_text(given.value), other=clean_text(given.other)
        )
    chosen: set[int] = set()
    for given in parsed.values():
        for value in given.options:
            if value.isdigit():
                chosen.add(int(value))
    for qid, question in questions.items():
        given = parsed.get(qid, AnswerInput())
        key = f"q{qid}"
        if not _visible(question, chosen):
            continue  # a hidden question's answer is dropped, and it is not required
        if given.is_empty():
            if submit and question.required:
                errors.setdefault(key, []).append(_("This question needs an answer."))
            continue
        problem = _answer_rows(question, given, rows)
        if problem:
            errors.setdefault(key, []).append(problem)
    return rows, errors


def _answer_rows(question: Question, given: AnswerInput, rows: list[Answer]) -> str | None:
    """Append the Answer rows for one question to ``rows``; return an error message instead
    when the answer has the wrong type or is out of range."""
    kind = question.kind
    if kind in Question.CHOICE_KINDS:
        valid = {str(o.pk): o for o in question.options.all()}
        if any(v not in valid for v in given.options):
            return _("Choose among the options offered.")
        if kind == Question.Kind.SINGLE and len(given.options) + (1 if given.other.strip() else 0) > 1:
            return _("Choose only one answer.")
        if given.other.strip() and not question.allow_other:
            return _("This question has no “other” answer.")
        if given.value.strip():
            return _("Choose among the options offered.")
        rows.extend(Answer(question=question, option=valid[v]) for v in dict.fromkeys(given.options))
        if given.other.strip():
            rows.append(Answer(question=question, text=given.other.strip()[:SHORT_TEXT_MAX]))
        return None
    if given.options or given.other.strip():
        return _("This question takes no options.")
    value = given.value.strip()
    if kind in Question.NUMERIC_KINDS:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            return _("Enter a number.") if kind == Question.Kind.NUMBER else _("Choose a point on the scale.")
        if not number.is_finite():
            return _("Enter a number.")
        if kind == Question.Kind.SCALE:
            if number != number.to_integral_value() or not question.scale_min <= number <= question.scale_max:
                return _("Choose a whole number from %(min)s to %(max)s.") % {
                    "min": question.scale_min,
                    "max": question.scale_max,
                }
        else:
            if question.number_min is not None and number < question.number_min:
                return _("Enter a number of at least %(min)s.") % {"min": question.number_min}
            if question.number_max is not None and number > question.number_max:
                return _("Enter a number of at most %(max)s.") % {"max": question.number_max}
            if abs(number) >= Decimal("1e10"):
                return _("Enter a smaller number.")
        rows.append(Answer(question=question, number=number.quantize(Decimal("0.01"))))
        return None
    limit = SHORT_TEXT_MAX if kind == Question.Kind.SHORT_TEXT else LONG_TEXT_MAX
    if len(value) > limit:
        return ngettext("Keep the answer under %(n)s character.", "Keep the answer under %(n)s characters.", limit) % {
            "n": limit
        }
    rows.append(Answer(question=question, text=value))
    return None


def _network_of(deployment: Deployment, person: Person | None) -> Network | None:
    if deployment.network_id:
        return deployment.network
    if person is None:
        return None
    return Network.objects.filter(memberships__person=person, reached_by_surveys=deployment).first()


@transaction.atomic
def response_save(
    *,
    deployment: Deployment,
    person: Person | None,
    answers: Mapping[Any, AnswerInput],
    submit: bool,
    entered_by: User | None = None,
    province_id: int | None = None,
    speaker_scores: Mapping[Any, Any] | None = None,
    client_id: uuid.UUID | None = None,
    browser_key: str | None = None,
) -> Response:
    """Save ``person``'s answers to ``deployment``: a draft (``submit=False``, required
    answers may be missing) or the final response. A person has one response per
    survey; a submitted one cannot change. Raises ValidationError and stores nothing
    when the survey is closed, the person already answered, or an answer is invalid.

    ``entered_by`` marks a paper questionnaire typed in by staff; ``person`` may then be
    None for an anonymous paper form, and ``province_id`` says whose it is.

    ``client_id`` is the id a phone gave a queued response: sending it again returns the
    stored response unchanged (even after the survey closed), so a retry is stored once."""
    if client_id is not None:
        already = Response.objects.filter(client_id=client_id).first()
        if already is not None:
            if already.deployment_id != deployment.pk:
                raise ValidationError(_("This response belongs to another survey."))
            return already
    _check_open(deployment)
    existing = None
    if person is not None or browser_key:
        existing = (
            Response.objects.select_for_update()
            .filter(deployment=deployment, respondent_key=_respondent_key(deployment, person, browser_key))
            .first()
        )
        if existing and existing.status == Response.Status.SUBMITTED:
            raise ValidationError(_("You have already answered this survey; there is one response per person."))
    questions = {q.pk: q for q in deployment.template.questions.prefetch_related("options")}
    rows, errors = _parse_answers(questions, answers, submit=submit)
    ratings, rating_errors = _parse_speaker_scores(deployment, speaker_scores or {})
    if rating_errors:
        errors["speakers"] = rating_errors
    if errors:
        raise ValidationError(errors)
    response = existing or Response(
        deployment=deployment,
        person=None if deployment.is_anonymous else person,
        respondent_key=_respondent_key(deployment, person, browser_key),
        province_id=person.province_id if person else province_id,
        network=_network_of(deployment, person),
        category=person.category if person else "",
        ethnicity=person.ethnicity if person else "",
    )
    if client_id is not None and submit:
        response.client_id = client_id
    if entered_by is not None:
        response.source = Response.Source.PAPER
        response.entered_by = entered_by
    if submit:
        response.status = Response.Status.SUBMITTED
        response.submitted_at = timezone.now()
    response.full_clean()
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:  # two tabs submitting at once, or one queued response sent twice at once
        if client_id is not None and (already := Response.objects.filter(client_id=client_id).first()):
            return already
        raise ValidationError(_("You have already answered this survey; there is one response per person.")) from exc
    response.answers.all().delete()
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    response.speaker_ratings.all().delete()
    for rating in ratings:
        rating.response = response
    SpeakerRating.objects.bulk_create(ratings)
    if submit:
        results_refresh(response=response)
    return response


@transaction.atomic
def response_withdraw(*, response: Response) -> Response:
    """Take a submitted response out of the results (it becomes a draft again, e.g. a
    paper questionnaire typed in against the wrong person) and update the aggregates."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be withdrawn."))
    response.status = Response.Status.DRAFT
    response.submitted_at = None
    response.save(update_fields=["status", "submitted_at"])
    results_refresh(response=response)
    return response


def rateable_speakers(deployment: Deployment) -> Any:
    """The trainers and speakers a respondent may rate: those of the event of an
    after-training (or evaluation) deployment; none before a training or for a network."""
    if not deployment.event_id or deployment.phase == Deployment.Phase.PRE:
        return Speaker.objects.none()
    return Speaker.objects.filter(events=deployment.event_id).order_by(*people_order())


def _parse_speaker_scores(deployment: Deployment, scores: Mapping[Any, Any]) -> tuple[list[SpeakerRating], list[str]]:
    """Unsaved ratings and error messages for ``{speaker id: score}``; empty scores
    are skipped (rating a trainer is optional)."""
    given = {key: value for key, value in scores.items() if value not in (None, "")}
    if not given:
        return [], []
    allowed = set(rateable_speakers(deployment).values_list("pk", flat=True))
    ratings: list[SpeakerRating] = []
    errors: list[str] = []
    for raw_id, raw_score in given.items():
        try:
            speaker_id = int(raw_id)
        except (TypeError, ValueError):
            speaker_id = None
        if speaker_id not in allowed:
            errors.append(_("Only the trainers and speakers of this event can be rated."))
            continue
        try:
            score = int(raw_score)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            errors.append(_("A rating is a whole number from 1 to 5."))
            continue
        ratings.append(SpeakerRating(speaker_id=speaker_id, score=score))
    return ratings, errors


# --- invitations and personal links --------------------------------------------------------

PERSONAL_LINK_SALT = "surveys.personal-link"
PERSONAL_LINK_MAX_AGE = timedelta(days=180)
MAX_SEND_ATTEMPTS = 5


def personal_link_path(invitation: SurveyInvitation) -> str:
    """The path of her personal link: the deployment's short code and her signed token."""
    signed = signing.TimestampSigner(salt=PERSONAL_LINK_SALT).sign(invitation.token)
    return reverse("surveys:personal", args=[invitation.deployment.token, signed])


def personal_link(invitation: SurveyInvitation) -> str:
    """Her personal link as an absolute URL (SITE_URL)."""
    return absolute(personal_link_path(invitation))


class LinkInvalid(Exception):
    """A personal link that is forged, expired or for another survey (message for her)."""


def invitation_from_link(*, token: str, signed: str) -> SurveyInvitation:
    """The invitation behind a personal link opened at ``/surveys/s/<token>/p/<signed>/``,
    or LinkInvalid with a message she can act on."""
    try:
        raw = signing.TimestampSigner(salt=PERSONAL_LINK_SALT).unsign(signed, max_age=PERSONAL_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkInvalid(_("This survey link has expired. Ask the provincial Women's Union for a new one.")) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(_("This survey link is not valid. Check that it was copied in full.")) from exc
    invitation = (
        SurveyInvitation.objects.select_related("deployment__template", "deployment__event", "deployment__network")
        .select_related("person")
        .filter(token=raw)
        .first()
    )
    if invitation is None:
        raise LinkInvalid(_("This survey link is not valid. Check that it was copied in full."))
    if invitation.deployment.token != token:
        raise LinkInvalid(_("This link belongs to another survey. Open the link you received for this one."))
    return invitation


def _recipient_querysets(deployment: Deployment) -> tuple[Any, list[Any]]:
    """(members, guests): querysets of the ``person_id`` of the people a deployment
    invites — members of the reached networks, and for an event also the guests invited
    to it or checked in at it (who may be members too)."""
    from events.models import Attendance
    from events.models import Invitation as EventInvitation
    from members.models import Membership

    # Nobody who withdrew her consent (or was anonymised) is surveyed.
    contactable = {"person__consent_withdrawn_at__isnull": True, "person__anonymised_at__isnull": True}
    members = (
        Membership.objects.filter(network__in=deployment.networks.all(), status=Membership.Status.MEMBER, **contactable)
        .order_by()
        .values("person_id")
    )
    guests = []
    if deployment.event_id:
        at_event = {"event_id": deployment.event_id, "is_member": False, **contactable}
        guests = [
            EventInvitation.objects.filter(**at_event).order_by().values("person_id"),
            Attendance.objects.filter(**at_event).order_by().values("person_id"),
        ]
    return members, guests


def deployment_recipient_ids(deployment: Deployment) -> tuple[set[int], set[int]]:
    """(members, guests): the people a deployment invites — members of the reached
    networks, and for an event also the guests invited to it or checked in at it."""
    members_query, guest_queries = _recipient_querysets(deployment)
    members = set(members_query.values_list("person_id", flat=True))
    guests: set[int] = set()
    for query in guest_queries:
        guests |= set(query.values_list("person_id", flat=True))
    return members, guests - members


# A random token drawn by the database for each new invitation (32 hex characters: 128
# bits from the operating system's random source), as the model's default draws one.
_TOKEN_SQL = {
    "postgresql": "replace(gen_random_uuid()::text, '-', '')",
    "sqlite": "lower(hex(randomblob(16)))",
}


def deployment_queue_invitations(*, deployment: Deployment) -> int:
    """Create the invitations of everyone the deployment reaches who has none yet; they
    go out when it opens (:func:`survey_messages_send_due`). Returns how many were added.

    One ``INSERT … SELECT`` in the database, whatever the number of people (deploying a
    survey to a network of 1,000 members is one web request): nothing per person is
    built in Python or sent over the connection."""
    from django.db import connection
    from django.db.models.constants import OnConflict

    members_query, guest_queries = _recipient_querysets(deployment)
    member_sql, member_params = members_query.query.sql_with_params()
    parts = [(member_sql, member_params), *(query.query.sql_with_params() for query in guest_queries)]
    recipients_sql = " UNION ".join(sql for sql, _params in parts)
    recipients_params = [param for _sql, params in parts for param in params]

    quote = connection.ops.quote_name
    table = quote(SurveyInvitation._meta.db_table)
    person_id = f"r.{quote('person_id')}"
    chosen: dict[str, tuple[str, list[Any]]] = {
        "deployment": ("%s", [deployment.pk]),
        "person": (person_id, []),
        "is_guest": (f"CASE WHEN {person_id} IN ({member_sql}) THEN %s ELSE %s END", [*member_params, False, True]),
        "token": (_TOKEN_SQL[connection.vendor], []),
    }
    columns, values, params = [], [], []
    fields = [f for f in SurveyInvitation._meta.concrete_fields if not f.primary_key]
    for model_field in fields:
        # The other columns take their defaults (created_at: now, the rest empty).
        default = ("%s", [model_field.get_db_prep_save(model_field.get_default(), connection)])
        sql, field_params = chosen.get(model_field.name) or default
        columns.append(quote(model_field.column))
        values.append(sql)
        params.extend(field_params)
    insert = connection.ops.insert_statement(on_conflict=OnConflict.IGNORE)
    on_conflict = connection.ops.on_conflict_suffix_sql(fields, OnConflict.IGNORE, None, None)
    sql = (
        f"{insert} {table} ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608 - names and compiled SQL only
        f"FROM ({recipients_sql}) r WHERE NOT EXISTS (SELECT 1 FROM {table} i "
        f"WHERE i.{quote('deployment_id')} = %s AND i.{quote('person_id')} = {person_id}) "
        f"ORDER BY {person_id} {on_conflict}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *recipients_params, deployment.pk])
        return cursor.rowcount


@transaction.atomic
def guest_survey_invitations(*, event: Event, person: Person) -> list[SurveyInvitation]:
    """The personal survey invitations of someone at ``event`` (a guest checked in, most
    often) for each of its surveys that has not closed; created when missing."""
    invitations = []
    now = timezone.now()
    deployments = Deployment.objects.filter(event=event, closes_at__gt=now).select_related("template", "event")
    is_member = deployment_recipient_ids
    for deployment in deployments.order_by("opens_at", "pk"):
        members, _guests = is_member(deployment)
        invitation, _created = SurveyInvitation.objects.get_or_create(
            deployment=deployment, person=person, defaults={"is_guest": person.pk not in members}
        )
        invitation.deployment = deployment
        invitations.append(invitation)
    return invitations


def _message(invitation: SurveyInvitation, *, reminder: bool) -> tuple[str, str, str]:
    """(subject, e-mail body, SMS text) in Vietnamese, naming the training and phase."""
    from django.template.loader import render_to_string
    from django.utils import translation

    deployment = invitation.deployment
    link = personal_link(invitation)
    with translation.override("vi"):
        title = deployment.display_title
        subject = (_("Survey reminder: %(title)s") if reminder else _("Survey: %(title)s")) % {"title": title}
        context = {"deployment": deployment, "title": title, "link": link, "reminder": reminder}
        body = render_to_string("surveys/email_invitation.txt", context)
        text = _("%(title)s: please answer before %(date)s: %(link)s") % {
            "title": title,
            "date": timezone.localtime(deployment.closes_at).strftime("%d/%m/%Y"),
            "link": link,
        }
    return subject, body, text


def invitation_send(*, invitation: SurveyInvitation, reminder: bool = False) -> str:
    """Send her invitation (or reminder) by e-mail, or by SMS when she has only a phone.
    Returns the channel used ("email", "sms"), or "" when she has neither or the e-mail
    failed (the error is kept on the invitation and the send is tried again later)."""
    from django.core.mail import send_mail

    from portal.sms import sms_queue

    person = invitation.person
    subject, body, text = _message(invitation, reminder=reminder)
    now = timezone.now()
    invitation.attempts += 1
    channel = ""
    if person.consent_withdrawn_at or person.anonymised_at:
        # She withdrew her consent after the invitation was queued: nothing is sent.
        invitation.last_error = _("She withdrew her consent: no message is sent.")
    elif person.email:
        try:
            send_mail(subject, body, None, [person.email], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any SMTP failure is kept and retried later
            invitation.last_error = str(exc)[:1000] or exc.__class__.__name__
        else:
            channel = "email"
    elif person.phone:
        invitation.sms = sms_queue(to=str(person.phone), text=text, purpose="survey", province_id=person.province_id)
        channel = "sms"
    else:
        invitation.last_error = _("No e-mail address or phone: give her the printed slip.")
    if channel:
        invitation.last_error = ""
        invitation.sent_by = channel
        if reminder:
            invitation.reminded_at = now
        else:
            invitation.sent_at = now
    elif person.consent_withdrawn_at or person.anonymised_at or (not person.email and not person.phone):
        # Nothing to retry: mark it handled so the job does not pick it up again.
        if reminder:
            invitation.reminded_at = now
        else:
            invitation.sent_at = now
    invitation.save(update_fields=["attempts", "last_error", "sent_by", "sent_at", "reminded_at", "sms"])
    return channel


def guest_links_send(*, invitations: list[SurveyInvitation], channel: str) -> int:
    """Send her personal links now, by ``channel`` ("email" or "sms"), one message per
    survey. Raises ValidationError when she has no address for that channel."""
    from django.core.mail import send_mail

    from portal.sms import sms_queue

    if not invitations:
        raise ValidationError(_("This event has no survey yet."))
    person = invitations[0].person
    from members.services import check_can_be_contacted

    check_can_be_contacted(person)
    if channel == "email" and not person.email:
        raise ValidationError(_("She has no e-mail address: print the slip or send an SMS."))
    if channel == "sms" and not person.phone:
        raise ValidationError(_("She has no phone number: print the slip or send an e-mail."))
    if channel not in ("email", "sms"):
        raise ValidationError(_("Choose e-mail or SMS."))
    now = timezone.now()
    for invitation in invitations:
        subject, body, text = _message(invitation, reminder=False)
        with transaction.atomic():
            if channel == "email":
                send_mail(subject, body, None, [person.email])
            else:
                invitation.sms = sms_queue(
                    to=str(person.phone), text=text, purpose="survey", province_id=person.province_id
                )
            invitation.sent_at = invitation.sent_at or now
            invitation.sent_by = channel
            invitation.save(update_fields=["sent_at", "sent_by", "sms"])
    return len(invitations)


def _open_deployments(now: datetime) -> Any:
    return Deployment.objects.filter(opens_at__lte=now, closes_at__gt=now)


def survey_messages_send_due(*, now: datetime | None = None, deployment_id: int | None = None) -> dict[str, int]:
    """Send what is due: the invitations of every deployment that has opened, and the
    reminders of those closing within their ``reminder_days`` to whoever has not
    submitted. Idempotent (``sent_at``/``reminded_at``); failures are retried on the next
    run, at most MAX_SEND_ATTEMPTS times. Run by Celery beat or ``send_due_messages``."""
    now = now or timezone.now()
    deployments = _open_deployments(now)
    if deployment_id is not None:
        deployments = deployments.filter(pk=deployment_id)
    sent = reminded = 0
    related = ("deployment__template", "deployment__event", "deployment__network", "person")
    pending = SurveyInvitation.objects.filter(
        deployment__in=deployments, sent_at__isnull=True, attempts__lt=MAX_SEND_ATTEMPTS
    ).select_related(*related)
    for invitation in pending.iterator(chunk_size=200):
        sent += bool(invitation_send(invitation=invitation))
    Deployment.objects.filter(pk__in=deployments, invitations_sent_at__isnull=True).update(invitations_sent_at=now)
    for deployment in deployments.filter(reminder_days__gt=0):
        if now < deployment.closes_at - timedelta(days=deployment.reminder_days):
            continue
        answered = Response.objects.filter(
            deployment=deployment, status=Response.Status.SUBMITTED, person_id__isnull=False
        ).values("person_id")
        due = (
            SurveyInvitation.objects.filter(
                deployment=deployment,
                sent_at__isnull=False,
                reminded_at__isnull=True,
                attempts__lt=MAX_SEND_ATTEMPTS * 2,
            )
            .exclude(person_id__in=answered)
            .select_related(*related)
        )
        for invitation in due.iterator(chunk_size=200):
            reminded += bool(invitation_send(invitation=invitation, reminder=True))
    return {"sent": sent, "reminded": reminded}


def deployment_send_invitations(*, deployment_id: int) -> int:
    """Send the due invitations of one deployment (when it is open); returns how many
    went out. Idempotent: a second call sends nothing."""
    return survey_messages_send_due(deployment_id=deployment_id)["sent"]


@transaction.atomic
def invitations_resend(*, deployment: Deployment, invitations: Any) -> int:
    """Staff send the link again to people who have not answered (the deployment must
    be open). Returns how many messages went out."""
    _check_open(deployment)
    count = 0
    for invitation in invitations.filter(deployment=deployment).select_related("person", "deployment__template"):
        count += bool(invitation_send(invitation=invitation))
    return count


# --- identified group link: her phone and a code ------------------------------------------

CODE_MAX_WRONG = 4
CODE_VALID = timedelta(minutes=15)
CODES_PER_PHONE_PER_HOUR = 3


def _code_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"survey-code:{code}".encode(), hashlib.sha256).hexdigest()


def identify_code_send(*, deployment: Deployment, phone: str) -> dict[str, Any]:
    """Send a 6-digit code by SMS to ``phone`` when an invited person of ``deployment``
    has that number. Returns the state to keep in her session. Whether the number is on
    the list is not revealed: an unknown number gets the same next page, and no code
    works there. Raises ValidationError for a number that is not a phone number, or
    after too many codes for one number."""
    from django.core.cache import cache

    from members.phones import normalise_phone
    from portal.sms import sms_queue

    normalised = normalise_phone(phone)  # raises ValidationError with a Vietnamese message
    if not normalised:
        raise ValidationError(_("Enter your mobile phone number."))
    key = f"survey-code-sends:{normalised}"
    cache.add(key, 0, timeout=3600)
    if cache.incr(key) > CODES_PER_PHONE_PER_HOUR:
        raise ValidationError(_("Too many codes were asked for this number. Please try again in an hour."))
    invitation = (
        SurveyInvitation.objects.filter(deployment=deployment, person__phone=normalised)
        .select_related("person")
        .first()
    )
    code = f"{secrets.randbelow(10**6):06d}"
    if invitation is not None:
        with transaction.atomic():
            sms_queue(
                to=normalised,
                text=_("Your code for the survey: %(code)s") % {"code": code},
                purpose="survey_code",
                province_id=invitation.person.province_id,
                sensitive=True,
            )
    return {
        "invitation": invitation.pk if invitation else None,
        "hash": _code_hash(code),
        "wrong": 0,
        "locked": False,
        "expires": (timezone.now() + CODE_VALID).timestamp(),
    }


def identify_code_check(*, state: dict[str, Any], code: str) -> SurveyInvitation:
    """Check the code she typed against ``state`` (changed in place: wrong tries are
    counted, and the fourth wrong one locks the code). Returns her invitation, or
    raises ValidationError with what to do."""
    if state.get("locked"):
        raise ValidationError(_("This code is locked after four wrong tries. Ask for a new code."))
    if timezone.now().timestamp() > state.get("expires", 0):
        raise ValidationError(_("This code has expired. Ask for a new code."))
    code = "".join(ch for ch in code if ch.isdigit())
    if state.get("invitation") and hmac.compare_digest(_code_hash(code), state.get("hash", "")):
        invitation = (
            SurveyInvitation.objects.select_related("deployment", "person").filter(pk=state["invitation"]).first()
        )
        if invitation is not None:
            return invitation
    state["wrong"] = state.get("wrong", 0) + 1
    if state["wrong"] >= CODE_MAX_WRONG:
        state["locked"] = True
        raise ValidationError(_("This code is locked after four wrong tries. Ask for a new code."))
    left = CODE_MAX_WRONG - state["wrong"]
    raise ValidationError(
        ngettext("The code is not right. %(n)s try left.", "The code is not right. %(n)s tries left.", left)
        % {"n": left}
    )
