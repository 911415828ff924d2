"""Changes to people and memberships. Keyword-only, one change per call, atomic,
validated with ``full_clean``, and recording who acted."""

from __future__ import annotations

import secrets
import unicodedata
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

from members.models import Consent, Invitation, Membership, MembershipStep, Person
from members.phones import normalise_phone

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


class PipelineError(Exception):
    """An illegal step in the membership pipeline (the message is for the user)."""


# --- people -------------------------------------------------------------------------


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


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


def _apply_person_data(person: Person, data: dict[str, Any]) -> None:
    for field in PERSON_FIELDS:
        if field in data:
            value = _nfc(data[field])
            if field == "phone":
                value = normalise_phone(str(value) if value else "")
            if field == "email" and isinstance(value, str):
                value = value.lower()
            setattr(person, field, value)
    if person.commune_id and person.province_id and person.commune.province_id != person.province_id:
        raise ValidationError({"commune": _("The commune/ward is not in the person's province.")})
    person.search_text = person.compute_search_text()


@transaction.atomic
def person_create(*, province_id: int, data: dict[str, Any]) -> Person:
    """Create a person in ``province_id`` from profile ``data`` (text NFC, phone E.164)."""
    person = Person(province_id=province_id)
    _apply_person_data(person, data)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's profile fields; the search text follows."""
    _apply_person_data(person, data)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_request_removal(*, person: Person) -> Person:
    """A member asks for her data to be removed; staff then anonymise."""
    if not person.removal_requested_at:
        person.removal_requested_at = timezone.now()
        person.save(update_fields=["removal_requested_at", "updated_at"])
    return person


ANONYMOUS_NAME = "—"


@transaction.atomic
def person_anonymise(*, person: Person, actor: Any) -> Person:
    """Wipe the personal fields and keep the row, its memberships and its category, so
    aggregate figures (members per network, per category) do not change. Ethnicity and
    year of birth are sensitive and wiped too. The past versions in the audit history are
    wiped as well, so the data really is gone."""
    person.full_name = ANONYMOUS_NAME
    person.year_of_birth = None
    person.ethnicity = ""
    person.phone = ""
    person.email = ""
    person.organisation = ""
    person.position = ""
    person.commune = None
    person.search_text = ""
    person.anonymised_at = timezone.now()
    if person.user_id:
        user = person.user
        user.is_active = False
        user.full_name = ""
        user.email = f"anonymised-{person.pk}@invalid"
        user.save(update_fields=["is_active", "full_name", "email"])
    person.save()
    person.history.exclude(pk=person.history.latest().pk).delete()
    person.history.update(
        full_name=ANONYMOUS_NAME,
        year_of_birth=None,
        ethnicity="",
        phone="",
        email="",
        organisation="",
        position="",
        commune=None,
        search_text="",
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


def _record_consent(person: Person, source: str, actor: Any) -> Consent:
    consent = Consent(
        person=person,
        purpose=str(CONSENT_PURPOSE),
        text_version=CONSENT_VERSION,
        given_at=timezone.now(),
        source=source,
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
    person_update(person=membership.person, data=data)
    _record_consent(membership.person, Consent.Source.ONLINE, None)
    _move(membership, S.APPLIED, None, _("Online application"))
    membership.save(update_fields=["status", "status_changed_at"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return membership


@transaction.atomic
def application_record_paper(*, membership: Membership, data: dict[str, Any], actor: Any) -> Membership:
    """Staff type in a signed paper application (with its consent box ticked)."""
    person_update(person=membership.person, data=data)
    _record_consent(membership.person, Consent.Source.PAPER, actor)
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


@transaction.atomic
def member_list_import(*, dataset: Any, user: Any, province_id: int, network: Any = None) -> Any:
    """Import a member list into ``province_id`` (all rows or none) and, when ``network``
    is given, put every person of the file on its candidate list. Returns the
    import-export Result; when it has errors nothing was saved."""
    from members.resources import PersonResource

    resource = PersonResource(user=user, province_id=province_id)
    result = resource.import_data(dataset)
    if result.has_errors() or result.has_validation_errors():
        return result
    if network is not None:
        result.candidates_added = membership_bulk_propose(
            network=network, people=resource.saved_people, actor=user, note=_("Imported list")
        )
    return result


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
