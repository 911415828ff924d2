"""Changes to people and memberships. Keyword-only, one change per call, atomic,
validated with ``full_clean``, and recording who acted."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Basis, Consent, ConsentWithdrawal, Invitation, Membership, MembershipStep, Person
from members.phones import normalise_phone
from portal.text import clean_text

S = Membership.Status

# The pipeline, in one place: from each state, the states a membership may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.CANDIDATE: frozenset({S.APPROVED, S.REJECTED, S.DECLINED}),
    S.APPROVED: frozenset({S.INVITED, S.APPLIED, S.REJECTED, S.DECLINED}),
    S.INVITED: frozenset({S.INVITED, S.APPLIED, S.DECLINED, S.REJECTED}),
    S.APPLIED: frozenset({S.MEMBER, S.REJECTED, S.DECLINED}),
    S.MEMBER: frozenset({S.LEFT, S.REMOVED}),
    S.DECLINED: frozenset({S.CANDIDATE}),
    S.REJECTED: frozenset({S.CANDIDATE}),
    S.LEFT: frozenset({S.CANDIDATE}),
    S.REMOVED: frozenset(),
}
PIPELINE_ORDER = [S.CANDIDATE, S.APPROVED, S.INVITED, S.APPLIED, S.MEMBER, S.DECLINED, S.REJECTED, S.LEFT, S.REMOVED]

INVITATION_VALID_DAYS = 30
INVITATION_SALT = "members.invitation"

# The consent text members agree to; bump the version whenever the wording changes.
CONSENT_VERSION = "2026-1"
CONSENT_PURPOSE = gettext_lazy(
    "I agree that the provincial Women's Union processes my personal data (name, year of birth, "
    "ethnicity, phone, e-mail, organisation, position, commune/ward) to manage the women leaders' "
    "network: membership, invitations to activities, surveys and aggregated, anonymous reports to "
    "the Central Union and donors. I may see, download, correct my data and ask for its removal "
    "at any time."
)

# Ethnicity is sensitive data (Decree 13/2023): recorded only with this explicit consent.
SENSITIVE_CONSENT_TEXT = gettext_lazy(
    "I explicitly agree that my ethnic group (sensitive personal data) is recorded, only to count how "
    "well the network represents the province's ethnic groups, in figures of at least 5 people. "
    "Without this consent the ethnic group is not recorded."
)


class PipelineError(Exception):
    """An illegal step in the membership pipeline (the message is for the user)."""


# --- people -------------------------------------------------------------------------
#
# The one writer of people: every entrance (forms, imports, applications, event guests and
# walk-ins, RSVP, the admin) creates, updates, matches and merges people here, so text is
# NFC without control characters, phones are E.164, e-mails lower-case, the search text
# follows and duplicates are matched the same way everywhere. The functions are
# keyword-only so new arguments (e.g. the lawful basis of a record) can be added freely.


def _nfc(value: Any) -> Any:
    value = clean_text(value)
    return value.strip() if isinstance(value, str) else value


PERSON_FIELDS = (
    "full_name",
    "year_of_birth",
    "ethnicity",
    "phone",
    "email",
    "organisation",
    "position",
    "category",
    "commune",
    "is_young_potential_leader",
)
# Fields whose empty value means "not known" (a blank cell or an empty form field on a
# ``keep_blank`` update leaves the stored value alone).
_BLANKABLE = frozenset(PERSON_FIELDS) - {"full_name", "is_young_potential_leader"}


@dataclass(frozen=True)
class LawfulBasis:
    """Why the portal may hold a person's record, given by every caller of the one writer.

    ``kind`` is :class:`members.models.Basis` (her consent or an official list);
    ``source`` says which list (file, guest list of an event, candidate list) or where
    the consent was given; ``by`` is who provided the list or recorded the consent.
    With a consent, ``channel`` is the :class:`Consent.Source` and ``sensitive`` whether
    she also explicitly agreed that her ethnic group (sensitive data) is recorded.
    Build one with :meth:`consent` or :meth:`official_list`."""

    kind: str
    source: str
    by: Any = None
    channel: str = ""
    sensitive: bool = False

    @classmethod
    def consent(cls, *, channel: str, source: str = "", by: Any = None, sensitive: bool = False) -> LawfulBasis:
        """Her consent (to the current text, ``CONSENT_VERSION``), given through ``channel``."""
        return cls(Basis.CONSENT, source or str(Consent.Source(channel).label), by, channel, sensitive)

    @classmethod
    def official_list(cls, *, source: str, by: Any = None) -> LawfulBasis:
        """An official list: ``source`` names it, ``by`` provided (or entered) it."""
        return cls(Basis.OFFICIAL_LIST, source, by)


class PersonConflict(ValidationError):
    """The phone and the e-mail given point to two different people (the message names both)."""


def normalise_email(value: Any) -> str:
    """An e-mail address as stored: NFC, trimmed, lower-case ("" when blank)."""
    return (_nfc(value) or "").lower() if value else ""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _apply_person_data(person: Person, data: dict[str, Any], *, keep_blank: bool = False) -> None:
    for field in PERSON_FIELDS:
        if field not in data:
            continue
        if field == "ethnicity" and not person.sensitive_consent_at:
            # Sensitive data: stored only with her explicit consent; without it the field
            # stays empty and she counts as "not stated" in every figure.
            continue
        value = _nfc(data[field])
        if keep_blank and field in _BLANKABLE and _is_blank(value):
            continue
        if field == "full_name" and isinstance(value, str):
            value = " ".join(value.split())
        if field in ("organisation", "position") and isinstance(value, str):
            value = " ".join(value.split())
        if field == "phone":
            value = normalise_phone(str(value) if value else "")
        if field == "email":
            value = normalise_email(value)
        setattr(person, field, value)
    if person.commune_id and person.province_id and person.commune.province_id != person.province_id:
        raise ValidationError({"commune": _("The commune/ward is not in the person's province.")})
    person.search_text = person.compute_search_text()


def _people_of(province_id: int) -> Any:
    return Person.objects.filter(province_id=province_id, anonymised_at__isnull=True)


def person_find(*, province_id: int, phone: str = "", email: str = "", exclude_pk: int | None = None) -> Person | None:
    """The person of ``province_id`` (not anonymised) with this phone or e-mail, or None.
    ``phone`` and ``email`` may be given as typed; they are normalised first. Raises
    :class:`PersonConflict` when the phone is one person's and the e-mail another's."""
    phone = normalise_phone(phone) if phone else ""
    email = normalise_email(email)
    people = _people_of(province_id)
    if exclude_pk:
        people = people.exclude(pk=exclude_pk)
    by_phone = people.filter(phone=phone).first() if phone else None
    by_email = people.filter(email__iexact=email).first() if email else None
    if by_phone and by_email and by_phone.pk != by_email.pk:
        raise PersonConflict(conflict_message(phone=phone, email=email, first=by_phone, second=by_email))
    return by_phone or by_email


def conflict_message(*, phone: str, email: str, first: Person, second: Person) -> str:
    """The message for a phone and an e-mail that belong to two different people."""
    return _(
        "The phone %(phone)s belongs to %(first)s (#%(first_id)s) and the e-mail %(email)s to "
        "%(second)s (#%(second_id)s): merge the two records first or correct the row."
    ) % {
        "phone": phone,
        "email": email,
        "first": first.full_name,
        "first_id": first.pk,
        "second": second.full_name,
        "second_id": second.pk,
    }


def _check_unique(person: Person) -> None:
    """A clear message instead of the database's unique-constraint error."""
    clash = person_find(
        province_id=person.province_id,
        phone=str(person.phone) if person.phone else "",
        email=person.email,
        exclude_pk=person.pk,
    )
    if clash is not None:
        field = "phone" if person.phone and str(clash.phone) == str(person.phone) else "email"
        raise ValidationError(
            {
                field: _("%(name)s (#%(id)s) already has this %(what)s.")
                % {
                    "name": clash.full_name,
                    "id": clash.pk,
                    "what": _("phone number") if field == "phone" else _("e-mail address"),
                }
            }
        )


def _apply_basis(person: Person, basis: LawfulBasis, actor: Any) -> bool:
    """Write ``basis`` on ``person`` (not saved). A consent replaces any basis; an official
    list is recorded only on a record that has no consent basis (her consent stays the
    stronger ground). Returns whether a consent record must be written after saving."""
    now = timezone.now()
    if basis.kind == Basis.CONSENT:
        person.basis = Basis.CONSENT
        person.consent_withdrawn_at = None  # a new consent starts processing again
        if basis.sensitive:
            person.sensitive_consent_at = now
        elif not person.sensitive_consent_at:
            person.ethnicity = ""  # she consented, but not to her ethnic group being kept
    elif person.basis == Basis.CONSENT and not person.consent_withdrawn_at:
        return False
    else:
        person.basis = basis.kind
    person.basis_source = clean_text(str(basis.source))[:255]
    recorder = basis.by if getattr(basis.by, "pk", None) else actor if getattr(actor, "pk", None) else None
    person.basis_provided_by = recorder
    person.basis_recorded_at = now
    return basis.kind == Basis.CONSENT


def _write_basis(person: Person, basis: LawfulBasis | None, actor: Any) -> None:
    if basis is not None and basis.kind == Basis.CONSENT:
        _record_consent(person, basis.channel, basis.by or actor, sensitive=basis.sensitive)


@transaction.atomic
def person_create(*, province_id: int, data: dict[str, Any], basis: LawfulBasis, actor: Any = None) -> Person:
    """Create a person in ``province_id`` from profile ``data`` (text NFC without control
    characters, phone E.164, e-mail lower-case) on the lawful ``basis`` (recorded on the
    record; a consent also as a :class:`Consent` row with its text version and time).
    The ethnic group is stored only when the basis carries her explicit consent to
    sensitive data. Raises ValidationError when the phone or e-mail is already someone
    else's in the province."""
    person = Person(province_id=province_id)
    _apply_basis(person, basis, actor)
    _apply_person_data(person, data)
    _check_unique(person)
    person.full_clean()
    _save(person, actor)
    _write_basis(person, basis, actor)
    return person


@transaction.atomic
def person_update(
    *,
    person: Person,
    data: dict[str, Any],
    actor: Any = None,
    keep_blank: bool = False,
    basis: LawfulBasis | None = None,
) -> Person:
    """Change a person's profile fields; the search text follows. With ``keep_blank`` an
    empty value ("not known", e.g. a blank cell) keeps what is stored. ``basis`` records
    a consent (or list) given with this change; without it the record's basis stands.
    The ethnic group changes only while she has consented to sensitive data."""
    if basis is not None:
        _apply_basis(person, basis, actor)
    _apply_person_data(person, data, keep_blank=keep_blank)
    _check_unique(person)
    person.full_clean()
    _save(person, actor)
    _write_basis(person, basis, actor)
    return person


@transaction.atomic
def person_match_or_create(
    *, province_id: int, data: dict[str, Any], basis: LawfulBasis, actor: Any = None
) -> tuple[Person, bool]:
    """The person of ``province_id`` with the phone or e-mail in ``data`` — her empty
    fields filled from ``data``, nothing she has overwritten — or a new person on
    ``basis``. Returns ``(person, created)``. Used for event guests and walk-ins, so a
    guest who is already on file is not added twice; a consent given now is recorded on
    the existing record too (an official list does not replace her consent)."""
    existing = person_find(province_id=province_id, phone=data.get("phone") or "", email=data.get("email") or "")
    if existing is None:
        return person_create(province_id=province_id, data=data, basis=basis, actor=actor), True
    missing = {
        field: value
        for field, value in data.items()
        if field in PERSON_FIELDS and not _is_blank(value) and _is_blank(getattr(existing, field, None) or None)
    }
    new_basis = basis if basis.kind == Basis.CONSENT or existing.basis == Basis.UNKNOWN else None
    if missing or new_basis:
        person_update(person=existing, data=missing, actor=actor, basis=new_basis)
    return existing, False


def person_can_be_contacted(person: Person) -> bool:
    """Whether the portal may still process her data for invitations, surveys and
    messages: not after she withdrew her consent, nor once anonymised."""
    return not person.consent_withdrawn_at and not person.anonymised_at


class ConsentWithdrawn(ValidationError):
    """She withdrew her consent: she is not invited, surveyed or messaged."""


def check_can_be_contacted(person: Person) -> None:
    """Raise :class:`ConsentWithdrawn` (message for staff) when she may not be contacted
    (read from the database: the caller's copy of her record may be older)."""
    stored = Person.objects.filter(pk=person.pk).only("consent_withdrawn_at", "anonymised_at").first()
    if stored is not None and not person_can_be_contacted(stored):
        raise ConsentWithdrawn(
            _("%(name)s withdrew her consent: she is no longer invited, surveyed or messaged.")
            % {"name": person.full_name}
        )


@transaction.atomic
def consent_withdraw(*, person: Person, actor: Any, channel: str, reason: str = "") -> ConsentWithdrawal:
    """She withdraws her consent (``channel``: herself from her profile, or through
    staff, ``actor``). Her sensitive data (ethnic group, also on her survey responses,
    whose figures are recomputed) are cleared, so figures count her as "not stated";
    processing stops (see :func:`person_can_be_contacted`: no event or membership
    invitation, survey invitation, reminder or announcement reaches her). Recorded as a
    :class:`ConsentWithdrawal` and in the record's history."""
    from django.apps import apps

    person = Person.objects.select_for_update().get(pk=person.pk)
    now = timezone.now()
    withdrawal = ConsentWithdrawal(
        person=person,
        withdrawn_at=now,
        channel=channel,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        reason=_nfc(reason or ""),
    )
    withdrawal.full_clean()
    withdrawal.save()
    person.ethnicity = ""
    person.sensitive_consent_at = None
    person.consent_withdrawn_at = now
    person._change_reason = "consent withdrawn"
    _save(person, actor)

    # Past versions of her record keep no ethnic group either (the audit keeps the rest).
    Person.history.filter(id=person.pk).exclude(ethnicity="").update(ethnicity="")

    Response = apps.get_model("surveys", "Response")
    from surveys.aggregates import results_refresh

    Response.history.filter(person_id=person.pk).exclude(ethnicity="").update(ethnicity="")
    for response in Response.objects.filter(person_id=person.pk).exclude(ethnicity=""):
        old = Response(
            deployment_id=response.deployment_id,
            province_id=response.province_id,
            network_id=response.network_id,
            category=response.category,
            ethnicity=response.ethnicity,
        )
        response.ethnicity = ""
        response.save(update_fields=["ethnicity"])
        if response.status == Response.Status.SUBMITTED:
            results_refresh(response=old)
            results_refresh(response=response)
    return withdrawal


def _save(person: Person, actor: Any) -> None:
    if getattr(actor, "pk", None):
        person._history_user = actor  # simple_history records who acted
    person.save()


class MergeError(Exception):
    """Two records that cannot be merged (the message is for the user)."""


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, actor: Any) -> Person:
    """Merge ``duplicate`` into ``keep`` (two records of one person): her memberships
    (with their steps), consents, event invitations and attendance, survey responses and
    board seats move to ``keep``; ``keep``'s empty fields are filled from ``duplicate``;
    then ``duplicate`` is deleted. Both audit histories are kept, and ``keep``'s records
    the merge. Where both records hold the same thing (a membership of one network, an
    invitation to one event, a response to one survey), ``keep``'s stays and the
    duplicate's steps/attendance join it."""
    from django.apps import apps

    if keep.pk == duplicate.pk:
        raise MergeError(_("Choose two different records."))
    if keep.province_id != duplicate.province_id:
        raise MergeError(_("Only records of the same province can be merged."))
    if keep.anonymised_at or duplicate.anonymised_at:
        raise MergeError(_("An anonymised record cannot be merged."))
    # Lock both rows (in a fixed order, so two merges cannot deadlock).
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=sorted([keep.pk, duplicate.pk]))}
    keep, duplicate = locked[keep.pk], locked[duplicate.pk]

    # Memberships: one per network; the duplicate's steps join the kept one.
    kept_by_network = {m.network_id: m for m in keep.memberships.all()}
    for membership in duplicate.memberships.all():
        twin = kept_by_network.get(membership.network_id)
        if twin is None:
            membership.person = keep
            membership.save(update_fields=["person"])
        else:
            membership.steps.update(membership=twin)
            membership.delete()
    Consent.objects.filter(person=duplicate).update(person=keep)

    EventInvitation = apps.get_model("events", "Invitation")
    Attendance = apps.get_model("events", "Attendance")
    kept_attendance = set(Attendance.objects.filter(person=keep).values_list("event_id", flat=True))
    for attendance in Attendance.objects.filter(person=duplicate):
        if attendance.event_id in kept_attendance:
            attendance.delete()
        else:
            attendance.person = keep
            attendance.save()
    kept_invitations = {i.event_id: i for i in EventInvitation.objects.filter(person=keep)}
    for invitation in EventInvitation.objects.filter(person=duplicate):
        twin = kept_invitations.get(invitation.event_id)
        if twin is None:
            invitation.person = keep
            invitation.save()
        else:
            Attendance.objects.filter(invitation=invitation).update(invitation=twin)
            invitation.delete()

    Response = apps.get_model("surveys", "Response")
    kept_responses = {r.deployment_id: r for r in Response.objects.filter(person=keep)}
    for response in Response.objects.filter(person=duplicate):
        twin = kept_responses.get(response.deployment_id)
        if twin is not None and (twin.status == "submitted" or response.status != "submitted"):
            response.delete()
            continue
        if twin is not None:
            twin.delete()
        response.person = keep
        if response.respondent_key == f"person:{duplicate.pk}":
            response.respondent_key = f"person:{keep.pk}"
        response.save()

    BoardSeat = apps.get_model("networks", "BoardSeat")
    kept_terms = set(BoardSeat.objects.filter(person=keep).values_list("term_id", flat=True))
    for seat in BoardSeat.objects.filter(person=duplicate):
        if seat.term_id in kept_terms:
            seat.delete()
        else:
            seat.person = keep
            seat.save()

    # Anything else that points at a person (network chair, tasks, access log…) follows;
    # the audit history keeps pointing where it pointed.
    handled = {Membership, Consent, EventInvitation, Attendance, Response, BoardSeat}
    for relation in Person._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not (relation.auto_created and not relation.concrete) or model in handled:
            continue
        if model.__name__.startswith("Historical") or not (relation.one_to_many or relation.one_to_one):
            continue
        model._base_manager.filter(**{relation.field.name: duplicate}).update(**{relation.field.name: keep})

    if duplicate.user_id and not keep.user_id:
        keep.user_id, duplicate.user_id = duplicate.user_id, None
        duplicate.save(update_fields=["user"])
    for field in _BLANKABLE:
        attname = "commune_id" if field == "commune" else field
        if _is_blank(getattr(keep, attname) or None) and not _is_blank(getattr(duplicate, attname) or None):
            setattr(keep, attname, getattr(duplicate, attname))
    keep.is_young_potential_leader = keep.is_young_potential_leader or duplicate.is_young_potential_leader
    if duplicate.removal_requested_at and not keep.removal_requested_at:
        keep.removal_requested_at = duplicate.removal_requested_at
    duplicate_pk, duplicate_name = duplicate.pk, duplicate.full_name
    duplicate._change_reason = f"merged into #{keep.pk}"
    if getattr(actor, "pk", None):
        duplicate._history_user = actor
    duplicate.delete()
    keep.search_text = keep.compute_search_text()
    keep._change_reason = f"merged #{duplicate_pk} ({duplicate_name}) into this record"
    keep.full_clean()
    _save(keep, actor)
    return keep


@transaction.atomic
def person_request_removal(*, person: Person, reason: str = "") -> Person:
    """She asks for her data to be removed (after confirming, with an optional reason);
    staff then anonymise. Asking again keeps the first date and adds the new reason."""
    reason = _nfc(reason or "")
    if not person.removal_requested_at:
        person.removal_requested_at = timezone.now()
    if reason:
        person.removal_reason = "\n".join(r for r in (person.removal_reason, reason) if r)
    person._change_reason = "removal requested"
    person.save()
    return person


ANONYMOUS_NAME = "—"


def age_band_of(year_of_birth: int | None, *, year: int | None = None) -> str:
    """The label of the age band (``members.selectors.AGE_BANDS``) of someone born in
    ``year_of_birth``, in ``year`` (this year by default); "" when the year is unknown."""
    from members.selectors import AGE_BANDS

    if not year_of_birth:
        return ""
    age = (year or timezone.localdate().year) - year_of_birth
    for label, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return label
    return ""  # pragma: no cover - the bands cover every age


@transaction.atomic
def person_anonymise(*, person: Person, actor: Any) -> Person:
    """Remove a person: what identifies her is wiped everywhere, every figure stays equal.

    Wiped: name, phone, e-mail, organisation, position, search text, her login (made
    inactive, its e-mail and name wiped, its allauth addresses deleted), every past
    version of her record and of her login in the audit history (also of records merged
    into hers), her name in the admin log, and the link from her survey answers to her
    record (except pre/post training pairs, which stay on the anonymous record so the
    paired figures do not change). Kept as counted categories, so every dashboard and
    report figure is unchanged: primary category, ethnic group, commune/ward, the "young
    potential leader" mark, and her age band (``age_band``, a counted category fixed on
    the day: no birth year, real or made up, is kept, so she never drifts into another
    band in later years). Memberships, attendance and responses stay, without her
    identity: every survey response loses its link to her record, and her pre/post
    training responses are paired by a random key of their own (one per training), so
    the paired figures stay equal and the pair no longer points at her record. Reasons
    she gave (removal, withdrawal) are wiped."""
    from django.apps import apps
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F, Value
    from django.db.models.functions import Replace

    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.anonymised_at:
        return person
    old_name = person.full_name
    person.full_name = ANONYMOUS_NAME
    person.age_band = person.age_band or age_band_of(person.year_of_birth)
    person.year_of_birth = None
    person.removal_reason = ""
    person.phone = ""
    person.email = ""
    person.organisation = ""
    person.position = ""
    person.search_text = ""
    person.removal_requested_at = person.removal_requested_at or timezone.now()
    person.anonymised_at = timezone.now()
    user = person.user
    person.user = None
    person._change_reason = "anonymised"
    _save(person, actor)

    # Every past version of her record (and of records merged into hers) goes; the one
    # left is the anonymous version just written.
    merged_ids = set(
        Person.history.filter(history_change_reason=f"merged into #{person.pk}").values_list("id", flat=True)
    )
    ids = {person.pk, *merged_ids}
    latest = person.history.latest()
    Person.history.filter(id__in=ids).exclude(history_id=latest.history_id).delete()

    user_ids: list[int] = []
    if user is not None:
        from allauth.account.models import EmailAddress

        user_ids.append(user.pk)
        EmailAddress.objects.filter(user=user).delete()
        user.is_active = False
        user.full_name = ""
        user.email = f"anonymised-{person.pk}@invalid"
        user.set_unusable_password()
        user._change_reason = "anonymised"
        user.save()
        user.history.exclude(history_id=user.history.latest().history_id).delete()

    # The admin log: entries about her record or her login lose their text, and her name
    # disappears from entries about her memberships, invitations, attendance….
    log = LogEntry.objects.all()
    person_type = ContentType.objects.get_for_model(Person)
    log.filter(content_type=person_type, object_id__in=[str(i) for i in ids]).update(
        object_repr=ANONYMOUS_NAME, change_message=""
    )
    if user_ids:
        log.filter(
            content_type=ContentType.objects.get_for_model(type(user)), object_id__in=[str(i) for i in user_ids]
        ).update(object_repr=ANONYMOUS_NAME, change_message="")
    if len(old_name) >= 4:
        log.filter(object_repr__contains=old_name).update(
            object_repr=Replace(F("object_repr"), Value(old_name), Value(ANONYMOUS_NAME))
        )
        log.filter(change_message__contains=old_name).update(
            change_message=Replace(F("change_message"), Value(old_name), Value(ANONYMOUS_NAME))
        )

    ConsentWithdrawal.objects.filter(person_id__in=ids).update(reason="")
    ConsentWithdrawal.history.filter(person_id__in=ids).update(reason="")

    # Survey answers: no longer linked to her, and no key derived from her record. Her
    # pre and post responses of one training share a random key (the pair), nothing else.
    Response = apps.get_model("surveys", "Response")
    pair_keys: dict[int, str] = {}
    for response in Response.objects.filter(person_id=person.pk).select_related("deployment"):
        event_id = response.deployment.event_id if response.deployment.phase else None
        if event_id is not None:
            key = pair_keys.setdefault(event_id, secrets.token_hex(16))
            response.respondent_key = f"anonymised:{key}"
        else:
            response.respondent_key = f"anonymised:{secrets.token_hex(16)}"
        response.person = None
        response.save(update_fields=["respondent_key", "person"])
        Response.history.filter(id=response.pk).update(
            respondent_key=response.respondent_key, person_id=response.person_id
        )
    return person


# --- the pipeline ---------------------------------------------------------------------


def allowed_next(status: str) -> frozenset[str]:
    """The states a membership in ``status`` may move to."""
    return TRANSITIONS.get(status, frozenset())


def _move(membership: Membership, to_status: str, actor: Any, note: str = "") -> Membership:
    # Read the state under a row lock: two staff (or a stale page) must not both move it.
    membership.status = Membership.objects.select_for_update().values_list("status", flat=True).get(pk=membership.pk)
    if to_status not in allowed_next(membership.status):
        raise PipelineError(
            _("%(person)s cannot go from “%(from)s” to “%(to)s”.")
            % {
                "person": membership.person.full_name,
                "from": membership.get_status_display(),
                "to": S(to_status).label,
            }
        )
    now = timezone.now()
    MembershipStep.objects.create(
        membership=membership,
        from_status=membership.status,
        to_status=to_status,
        acted_at=now,
        acted_by=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
    membership.status = to_status
    membership.status_changed_at = now
    return membership


@transaction.atomic
def membership_propose(*, network: Any, person: Person, actor: Any, note: str = "") -> Membership:
    """Put a person on a network's candidate list (proposed by the Standing Committee)."""
    if person.province_id != network.province_id:
        raise PipelineError(_("The person and the network belong to different provinces."))
    if Membership.objects.filter(network=network, person=person).exists():
        raise PipelineError(_("%(person)s is already on this network's list.") % {"person": person.full_name})
    membership = Membership(network=network, person=person, status=S.CANDIDATE, status_changed_at=timezone.now())
    membership.full_clean()
    membership.save()
    MembershipStep.objects.create(
        membership=membership, to_status=S.CANDIDATE, acted_at=membership.status_changed_at, acted_by=actor, note=note
    )
    return membership


def _bulk(memberships: Iterable[Membership], step: Callable[[Membership], None]) -> list[Membership]:
    done = []
    for membership in memberships:
        step(membership)
        done.append(membership)
    return done


@transaction.atomic
def membership_approve(*, memberships: Iterable[Membership], actor: Any, reference: str) -> list[Membership]:
    """Record the provincial leadership's approval (document number or opinion) for a
    list of candidates. All or none: one illegal step changes nothing."""
    reference = _nfc(reference or "")
    if not reference:
        raise PipelineError(_("Record the leadership's document or opinion."))

    def step(m: Membership) -> None:
        _move(m, S.APPROVED, actor, reference)
        m.approval_reference = reference
        m.save(update_fields=["status", "status_changed_at", "approval_reference"])

    return _bulk(memberships, step)


@transaction.atomic
def membership_admit(
    *, memberships: Iterable[Membership], actor: Any, decision_number: str, joined_on: date | None = None
) -> list[Membership]:
    """Admit applicants as members by decision (number and date)."""
    decision_number = _nfc(decision_number or "")
    if not decision_number:
        raise PipelineError(_("Give the number of the admission decision."))
    joined_on = joined_on or timezone.localdate()

    def step(m: Membership) -> None:
        _move(m, S.MEMBER, actor, decision_number)
        m.decision_number = decision_number
        m.joined_on = joined_on
        m.save(update_fields=["status", "status_changed_at", "decision_number", "joined_on"])

    admitted = _bulk(memberships, step)
    member_access_after_admission(memberships=admitted)
    return admitted


@transaction.atomic
def membership_change_status(*, membership: Membership, to_status: str, actor: Any, note: str = "") -> Membership:
    """The other steps: declined, rejected, left, removed, back to candidate."""
    if to_status in (S.APPROVED, S.INVITED, S.APPLIED, S.MEMBER):
        raise PipelineError(_("Use the dedicated action for this step."))
    _move(membership, to_status, actor, _nfc(note))
    membership.save(update_fields=["status", "status_changed_at"])
    member_access_sync(person=membership.person)
    return membership


# --- invitations ----------------------------------------------------------------------


SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: typed from paper
SHORT_CODE_LENGTH = 8


def new_short_code() -> str:
    """A fresh code for an invitation's short link (about 40 bits of randomness)."""
    while True:
        code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
        if not Invitation.objects.filter(short_code=code).exists():
            return code


def invitation_short_code(invitation: Invitation) -> str:
    """The invitation's short-link code, given one now if it was created without."""
    if not invitation.short_code:
        invitation.short_code = new_short_code()
        invitation.save(update_fields=["short_code"])
    return invitation.short_code


def invitation_from_short_code(code: str) -> Invitation | None:
    """The invitation behind a short link, whatever the case it was typed in."""
    code = code.strip().lower()
    if not code or any(c not in SHORT_CODE_ALPHABET for c in code):
        return None
    return Invitation.objects.filter(short_code=code).first()


def invitation_signed_token(invitation: Invitation) -> str:
    """The token as it appears in the link: signed with the secret key and a timestamp."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(invitation.token)


class InvitationInvalid(Exception):
    """The link is forged, expired, or was already used (the message is for the user)."""


def invitation_from_link(signed: str) -> Invitation:
    """Return the invitation behind a link, or raise InvitationInvalid."""
    try:
        token = signing.TimestampSigner(salt=INVITATION_SALT).unsign(
            signed, max_age=timedelta(days=INVITATION_VALID_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise InvitationInvalid(_("This invitation link has expired. Please contact the provincial Union.")) from exc
    except signing.BadSignature as exc:
        raise InvitationInvalid(_("This invitation link is not valid.")) from exc
    invitation = (
        Invitation.objects.select_related("membership__person", "membership__network__province")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid."))
    if invitation.used_at:
        raise InvitationInvalid(_("This invitation has already been used to apply."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(_("This invitation link has expired. Please contact the provincial Union."))
    if invitation.membership.status not in (S.INVITED, S.APPROVED):
        raise InvitationInvalid(_("This invitation is no longer open."))
    return invitation


@dataclass
class SentInvitation:
    invitation: Invitation
    url: str
    emailed: bool


@transaction.atomic
def membership_invite(
    *, memberships: Iterable[Membership], actor: Any, link_for: Callable[[str], str]
) -> list[SentInvitation]:
    """Invite approved people: a new personal link for each (older links stop working),
    e-mailed after the transaction commits when she has an address. ``link_for`` turns
    a signed token into an absolute URL."""
    now = timezone.now()
    sent = []
    to_email: list[tuple[int, str]] = []
    for membership in memberships:
        check_can_be_contacted(membership.person)
        _move(membership, S.INVITED, actor)
        membership.save(update_fields=["status", "status_changed_at"])
        membership.invitations.filter(used_at__isnull=True).update(expires_at=now)
        invitation = Invitation.objects.create(
            membership=membership,
            token=secrets.token_urlsafe(32),
            short_code=new_short_code(),
            created_at=now,
            created_by=actor,
            expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
        )
        url = link_for(invitation_signed_token(invitation))
        email = membership.person.email
        if email:
            invitation.emailed_at = now
            invitation.save(update_fields=["emailed_at"])
            to_email.append((invitation.pk, url))
        sent.append(SentInvitation(invitation=invitation, url=url, emailed=bool(email)))
    if to_email:
        # The e-mails go out from a worker, not inside the staff member's request.
        transaction.on_commit(lambda: _queue_invitation_emails(to_email))
    return sent


def _queue_invitation_emails(pairs: list[tuple[int, str]]) -> None:
    from members.tasks import send_membership_invitations

    send_membership_invitations.delay([[pk, url] for pk, url in pairs])


def invitation_send_emails(*, pairs: Iterable[tuple[int, str]]) -> int:
    """E-mail each invitation's personal link (``(invitation id, url)`` pairs) to the
    person's current address; invitations already used or expired are skipped. One query
    for all of them. Returns the number sent."""
    urls = dict(pairs)
    invitations = Invitation.objects.filter(
        pk__in=list(urls), used_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("membership__person", "membership__network")
    count = 0
    for invitation in invitations:
        membership = invitation.membership
        if membership.person.email:
            _send_invitation_email(membership, urls[invitation.pk], membership.person.email)
            count += 1
    return count


def _send_invitation_email(membership: Membership, url: str, email: str) -> None:
    context = {"membership": membership, "url": url, "valid_days": INVITATION_VALID_DAYS}
    send_mail(
        subject=_("Invitation to join %(network)s") % {"network": membership.network.name},
        message=render_to_string("members/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )


# --- applications ---------------------------------------------------------------------


def _record_consent(person: Person, source: str, actor: Any, *, sensitive: bool = False) -> Consent:
    consent = Consent(
        person=person,
        purpose=str(CONSENT_PURPOSE),
        text_version=CONSENT_VERSION,
        given_at=timezone.now(),
        source=source,
        covers_sensitive=sensitive,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def application_submit(*, invitation: Invitation, data: dict[str, Any]) -> Membership:
    """The invited person's online application: updates her profile, stores her consent
    with its text version, uses up the link and moves her to "applied"."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at:
        raise InvitationInvalid(_("This invitation has already been used to apply."))
    membership = invitation.membership
    basis = LawfulBasis.consent(channel=Consent.Source.ONLINE, sensitive=bool(data.get("sensitive_consent")))
    person_update(person=membership.person, data=data, basis=basis)
    _move(membership, S.APPLIED, None, _("Online application"))
    membership.save(update_fields=["status", "status_changed_at"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return membership


@transaction.atomic
def application_record_paper(*, membership: Membership, data: dict[str, Any], actor: Any) -> Membership:
    """Staff type in a signed paper application (with its consent box ticked, and the
    sensitive-data box when she ticked it on paper)."""
    basis = LawfulBasis.consent(channel=Consent.Source.PAPER, by=actor, sensitive=bool(data.get("sensitive_consent")))
    person_update(person=membership.person, data=data, basis=basis, actor=actor)
    _move(membership, S.APPLIED, actor, _("Paper application typed in by staff"))
    membership.save(update_fields=["status", "status_changed_at"])
    membership.invitations.filter(used_at__isnull=True).update(used_at=timezone.now())
    return membership


@transaction.atomic
def membership_bulk_propose(*, network: Any, people: Iterable[Person], actor: Any, note: str = "") -> int:
    """Put many people on a network's candidate list at once (e.g. from an imported Excel
    list); people already on the list are left as they are. Returns how many were added."""
    people = [p for p in people if p.pk]
    if any(p.province_id != network.province_id for p in people):
        raise PipelineError(_("The person and the network belong to different provinces."))
    already = set(
        Membership.objects.filter(network=network, person__in=[p.pk for p in people]).values_list(
            "person_id", flat=True
        )
    )
    now = timezone.now()
    new = [
        Membership(network=network, person=p, status=S.CANDIDATE, status_changed_at=now)
        for p in {p.pk: p for p in people}.values()
        if p.pk not in already
    ]
    Membership.objects.bulk_create(new)
    MembershipStep.objects.bulk_create(
        [MembershipStep(membership=m, to_status=S.CANDIDATE, acted_at=now, acted_by=actor, note=note) for m in new]
    )
    return len(new)


# --- member-list imports ----------------------------------------------------------------

IMPORT_PREVIEW_TTL = timedelta(hours=1)
IMPORT_FILE_MAX_AGE = timedelta(days=1)


def _import_storage() -> Any:
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.IMPORT_FILES_ROOT)


class ImportExpired(Exception):
    """The preview is unknown, someone else's, already used or expired (message for the user)."""


def import_preview_create(
    *, content: bytes, file_name: str, province_id: int, actor: Any, network: Any = None
) -> tuple[Any, Any]:
    """Check a member-list file without importing it. Returns ``(plan, preview)``; the
    preview (with the file, kept outside the public media folder) exists only when the
    file has no error. Raises ImportFileError for a file that cannot be read."""
    from members.importer import plan_import, read_table
    from members.models import ImportPreview

    import_previews_cleanup()
    headers, rows = read_table(content, file_name)
    plan = plan_import(headers=headers, rows=rows, province_id=province_id, file_name=file_name)
    if plan.errors:
        return plan, None
    storage = _import_storage()
    suffix = ".xlsx" if file_name.lower().endswith(".xlsx") else ".csv"
    from django.core.files.base import ContentFile

    path = storage.save(f"{secrets.token_hex(16)}{suffix}", ContentFile(content))
    preview = ImportPreview.objects.create(
        province_id=province_id,
        network=network,
        created_by=actor,
        file_name=clean_text(file_name)[:255],
        stored_path=path,
        summary=plan.summary(),
        expires_at=timezone.now() + IMPORT_PREVIEW_TTL,
    )
    return plan, preview


def import_preview_for(*, preview_id: Any, actor: Any) -> Any:
    """The open preview ``preview_id`` of ``actor``, or ImportExpired."""
    from members.models import ImportPreview

    preview = (
        ImportPreview.objects.select_related("province", "network")
        .filter(pk=preview_id, created_by=actor, confirmed_at__isnull=True, expires_at__gt=timezone.now())
        .first()
        if _is_uuid(preview_id)
        else None
    )
    if preview is None or not _import_storage().exists(preview.stored_path):
        raise ImportExpired(_("This preview has expired or was already imported: upload the file again."))
    return preview


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def import_province_lock(province_id: int) -> None:
    """Serialise imports into one province: a row lock on the province held until the
    transaction ends (a no-op on SQLite, which writes one transaction at a time)."""
    from networks.models import Province

    Province.objects.select_for_update().filter(pk=province_id).values_list("pk", flat=True).first()


@transaction.atomic
def member_import(*, content: bytes, file_name: str, province_id: int, actor: Any, network: Any = None) -> Any:
    """Import a member list into ``province_id``: all rows or none. Imports into one
    province run one at a time (row lock on the province), and the file is planned again
    under the lock, so two simultaneous imports never create one person twice. Returns
    the plan; when ``plan.errors`` is not empty nothing was saved. With ``network``,
    everyone of the file is put on its candidate list (``plan.candidates_added``)."""
    from members.importer import plan_import, read_table

    headers, rows = read_table(content, file_name)
    import_province_lock(province_id)
    plan = plan_import(headers=headers, rows=rows, province_id=province_id, file_name=file_name)
    if plan.errors:
        return plan
    people = _import_write(plan, actor)
    plan.candidates_added = 0
    if network is not None:
        plan.candidates_added = membership_bulk_propose(
            network=network, people=people, actor=actor, note=_("Imported list")
        )
    return plan


@transaction.atomic
def import_preview_confirm(*, preview_id: Any, actor: Any) -> tuple[Any, Any]:
    """Import the file of the preview ``preview_id`` (the one its button stands under),
    into the province and network stored with it. Returns ``(preview, plan)``; the file
    is deleted whatever the outcome."""
    from members.models import ImportPreview

    preview = import_preview_for(preview_id=preview_id, actor=actor)
    preview = ImportPreview.objects.select_for_update().get(pk=preview.pk)
    if preview.confirmed_at:
        raise ImportExpired(_("This preview has expired or was already imported: upload the file again."))
    storage = _import_storage()
    with storage.open(preview.stored_path, "rb") as handle:
        content = handle.read()
    plan = member_import(
        content=content,
        file_name=preview.file_name,
        province_id=preview.province_id,
        actor=actor,
        network=preview.network,
    )
    if not plan.errors:
        preview.confirmed_at = timezone.now()
        preview.summary = {**preview.summary, "imported": plan.totals}
        preview.save(update_fields=["confirmed_at", "summary"])
        path = preview.stored_path
        transaction.on_commit(lambda: storage.delete(path))
    return preview, plan


def import_previews_cleanup(*, now: Any = None) -> int:
    """Delete expired previews with their files, and any import file older than a day
    that no open preview holds. Returns how many files were deleted. Run by the periodic
    task and before each new preview."""
    import os

    from members.models import ImportPreview

    now = now or timezone.now()
    storage = _import_storage()
    deleted = 0
    for preview in ImportPreview.objects.filter(expires_at__lte=now).only("pk", "stored_path"):
        if storage.exists(preview.stored_path):
            storage.delete(preview.stored_path)
            deleted += 1
    ImportPreview.objects.filter(expires_at__lte=now - IMPORT_FILE_MAX_AGE).delete()
    if os.path.isdir(storage.location):
        held = set(
            ImportPreview.objects.filter(expires_at__gt=now, confirmed_at__isnull=True).values_list(
                "stored_path", flat=True
            )
        )
        for name in storage.listdir("")[1]:
            if name in held:
                continue
            if storage.get_modified_time(name) <= now - IMPORT_FILE_MAX_AGE:
                storage.delete(name)
                deleted += 1
    # Files the earlier importer left under the public media folder (media/imports/).
    from django.core.files.storage import default_storage

    try:
        legacy = default_storage.listdir("imports")[1]
    except (FileNotFoundError, NotImplementedError):
        legacy = []
    for name in legacy:
        default_storage.delete(f"imports/{name}")
        deleted += 1
    return deleted


def _import_write(plan: Any, actor: Any) -> list[Person]:
    """Write a plan with bulk operations: new people, changed fields, audit rows.

    The lawful basis of a new person (and of a changed record that had none) is the
    imported list: its file name and who imported it. The ethnic group of the file is
    not stored for anyone who has not given her explicit consent to sensitive data."""
    from members.resources import _update_many
    from portal.history import bulk_history_insert

    user = actor if getattr(actor, "pk", None) else None
    now = timezone.now()
    source = clean_text(_("Imported list “%(file)s”") % {"file": plan.file_name})[:255]
    basis = {"basis": Basis.OFFICIAL_LIST, "basis_source": source, "basis_provided_by": user, "basis_recorded_at": now}
    new_people = []
    for values in plan.new:
        person = Person(province_id=plan.province_id, **basis)
        for name, value in values.items():
            if name == "ethnicity":
                continue  # sensitive: not without her explicit consent
            setattr(person, "commune_id" if name == "commune" else name, _import_value(name, value))
        person.search_text = person.compute_search_text()
        new_people.append(person)
    created = Person.objects.bulk_create(new_people, batch_size=1000) if new_people else []
    bulk_history_insert(Person, created, user=user, when=now)
    changed_people = []
    unchanged = list(plan.unchanged)
    fields: set[str] = set()
    for person, changes in plan.updates:
        changes = {k: v for k, v in changes.items() if k != "ethnicity" or person.sensitive_consent_at}
        if not changes:
            unchanged.append(person)
            continue
        for name, value in changes.items():
            setattr(person, "commune_id" if name == "commune" else name, _import_value(name, value))
            fields.add(name)
        if person.basis == Basis.UNKNOWN:
            for name, value in basis.items():
                setattr(person, name, value)
        person.search_text = person.compute_search_text()
        changed_people.append(person)
    if changed_people:
        fields |= {"basis", "basis_source", "basis_provided_by", "basis_recorded_at"}
        _update_many(changed_people, sorted(fields) + ["search_text"])
        bulk_history_insert(Person, changed_people, update=True, user=user, when=now)
    return [*created, *changed_people, *unchanged]


def _import_value(name: str, value: Any) -> Any:
    """A planned value as set on a person: the importer's phones are already E.164 and
    valid, so they are set as checked numbers (saving them validates nothing again)."""
    from members.phones import CheckedPhoneNumber

    if name == "phone" and value:
        return CheckedPhoneNumber.from_e164(value)
    return value


@transaction.atomic
def member_list_import(*, dataset: Any, user: Any, province_id: int, network: Any = None) -> Any:
    """Import a tablib ``dataset`` (e.g. built in code or a test): the same rules as
    :func:`member_import`."""
    return member_import(
        content=dataset.export("xlsx"), file_name="list.xlsx", province_id=province_id, actor=user, network=network
    )


# --- member accounts: access on admission, welcome link, access ends with membership ------------

WELCOME_LINK_SALT = "members.welcome-link"
WELCOME_LINK_DAYS = 14
PLACEHOLDER_EMAIL_DOMAIN = "accounts.invalid"  # RFC 2606: never delivered


class WelcomeLinkInvalid(Exception):
    """A sign-in link that is forged, expired or already used (the message is for her)."""


def _has_active_membership(person: Person) -> bool:
    return person.memberships.filter(status=S.MEMBER).exists()


def member_account_ensure(*, person: Person) -> tuple[Any, bool]:
    """Give an admitted member her account, linked to her person record (role member, no
    password: she signs in with a link or a code), or switch her old one back on.
    Returns (user, created). Raises ValidationError when her e-mail address already
    belongs to another account."""
    from portal.models import User
    from portal.roles import Role

    if person.user_id:
        user = person.user
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        return user, False
    email = (person.email or f"member-{person.pk}@{PLACEHOLDER_EMAIL_DOMAIN}").lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("%(name)s: the e-mail address %(email)s already belongs to another account.")
            % {"name": person.full_name, "email": email}
        )
    user = User(email=email, full_name=person.full_name, role=Role.MEMBER)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    return user, True


def _welcome_state(user: Any) -> str:
    """Changes when she signs in (last_login) or is switched off: a used link stops working."""
    import hashlib

    raw = f"{user.pk}:{user.last_login.isoformat() if user.last_login else ''}:{user.is_active}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def welcome_link_token(user: Any) -> str:
    """The signed token of her one-time sign-in link."""
    return signing.TimestampSigner(salt=WELCOME_LINK_SALT).sign(f"{user.pk}:{_welcome_state(user)}")


def user_from_welcome_link(signed: str) -> Any:
    """The account behind a one-time sign-in link, or WelcomeLinkInvalid."""
    from portal.models import User

    try:
        raw = signing.TimestampSigner(salt=WELCOME_LINK_SALT).unsign(signed, max_age=timedelta(days=WELCOME_LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise WelcomeLinkInvalid(_("This sign-in link has expired. Sign in with a code instead.")) from exc
    except signing.BadSignature as exc:
        raise WelcomeLinkInvalid(_("This sign-in link is not valid.")) from exc
    pk, _sep, state = raw.partition(":")
    user = User.objects.filter(pk=pk, is_active=True).first() if pk.isdigit() else None
    if user is None or state != _welcome_state(user):
        raise WelcomeLinkInvalid(
            _("This sign-in link was already used or is no longer valid. Sign in with a code instead.")
        )
    return user


def member_welcome_send(*, user: Any) -> str:
    """Send her the welcome message with her one-time sign-in link: by e-mail, or by SMS
    when she has only a phone. Returns the channel ("email", "sms" or "" for neither)."""
    from django.utils import translation

    from portal.links import absolute_url
    from portal.sms import sms_queue

    person = Person.objects.filter(user=user).first()
    link = absolute_url("members:welcome", welcome_link_token(user))
    with translation.override("vi"):
        if user.email and not user.email.endswith("@" + PLACEHOLDER_EMAIL_DOMAIN):
            send_mail(
                subject=_("Welcome to the women leaders' network portal"),
                message=render_to_string(
                    "members/email/welcome.txt",
                    {"user": user, "person": person, "link": link, "valid_days": WELCOME_LINK_DAYS},
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
            return "email"
        if person is not None and person.phone:
            sms_queue(
                to=str(person.phone),
                text=_("Welcome to the women leaders' network portal. Sign in: %(link)s") % {"link": link},
                purpose="welcome",
                province_id=person.province_id,
                sensitive=True,
            )
            return "sms"
    return ""


def _welcome_after_commit(user: Any) -> None:
    transaction.on_commit(lambda: member_welcome_send(user=user))


@transaction.atomic
def member_access_give(*, people: Iterable[Person]) -> int:
    """Staff give portal access to existing members (bulk): an account for each member
    who has none (or whose account was switched off), and a welcome message. People who
    are not active members are refused; all or none. Returns how many got access."""
    people = list(people)
    not_members = [p.full_name for p in people if not _has_active_membership(p)]
    if not_members:
        raise ValidationError(
            _("Only active members can be given access: %(names)s.") % {"names": ", ".join(not_members)}
        )
    given = 0
    for person in people:
        had_access = person.user_id and person.user.is_active
        user, _created = member_account_ensure(person=person)
        if not had_access:
            _welcome_after_commit(user)
            given += 1
    return given


def member_access_after_admission(*, memberships: Iterable[Membership]) -> None:
    """Called by :func:`membership_admit`: each new member gets her account and welcome."""
    for membership in memberships:
        person = membership.person
        had_access = person.user_id and person.user.is_active
        user, _created = member_account_ensure(person=person)
        if not had_access:
            _welcome_after_commit(user)


def member_access_sync(*, person: Person) -> bool:
    """Access ends when membership ends: a member account whose person is no longer an
    active member of any network is switched off. Returns whether she keeps access."""
    from portal.roles import Role

    user = person.user
    if user is None or user.role != Role.MEMBER:
        return True
    active = _has_active_membership(person)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return active


# --- retention: people never admitted are anonymised after a period -----------------------


def retention_cutoff(*, now: Any = None) -> Any:
    """The moment before which a never-admitted person's last activity is too old:
    ``settings.RETENTION_MONTHS`` (default 24) months before ``now``."""
    from dateutil.relativedelta import relativedelta

    return (now or timezone.now()) - relativedelta(months=settings.RETENTION_MONTHS)


def people_past_retention(*, now: Any = None) -> Any:
    """People never admitted as members (candidates who went no further, guests,
    walk-ins), not yet anonymised, with no activity since :func:`retention_cutoff`:
    record created, consent given, pipeline step, event invitation or answer, check-in,
    survey response started or submitted. Anyone who was ever a member is kept (her
    record is part of the network's history; she is removed on request)."""
    from django.apps import apps
    from django.db.models import Exists, OuterRef, Q

    cutoff = retention_cutoff(now=now)
    EventInvitation = apps.get_model("events", "Invitation")
    Attendance = apps.get_model("events", "Attendance")
    Response = apps.get_model("surveys", "Response")
    person = OuterRef("pk")
    ever_member = Exists(MembershipStep.objects.filter(membership__person=person, to_status=S.MEMBER)) | Exists(
        Membership.objects.filter(person=person, status__in=[S.MEMBER, S.LEFT, S.REMOVED])
    )
    recent = (
        Exists(MembershipStep.objects.filter(membership__person=person, acted_at__gte=cutoff))
        | Exists(Consent.objects.filter(person=person, given_at__gte=cutoff))
        | Exists(
            EventInvitation.objects.filter(person=person).filter(
                Q(invited_at__gte=cutoff) | Q(responded_at__gte=cutoff)
            )
        )
        | Exists(Attendance.objects.filter(person=person, checked_in_at__gte=cutoff))
        | Exists(Response.objects.filter(person=person).filter(Q(started_at__gte=cutoff) | Q(submitted_at__gte=cutoff)))
    )
    return Person.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff).exclude(ever_member).exclude(recent)


def retention_anonymise(*, now: Any = None) -> int:
    """Anonymise everyone :func:`people_past_retention` finds (each in its own
    transaction, through :func:`person_anonymise`, so figures stay equal). Idempotent.
    Returns how many were anonymised. Run daily by Celery beat
    (``members.tasks.anonymise_past_retention``) or ``manage.py anonymise_past_retention``."""
    ids = list(people_past_retention(now=now).values_list("pk", flat=True))
    for pk in ids:
        person = Person.objects.get(pk=pk)
        person_anonymise(person=person, actor=None)
    return len(ids)
