"""Changes to events: each service does one change inside a transaction, validates
with ``full_clean`` and raises ``ValidationError`` (with a translated message) on bad
input, leaving the database unchanged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from events.models import AgendaItem, Attendance, Event, Invitation, MediaCoverage, Speaker, Topic
from members.models import Membership, Person
from members.services import LawfulBasis, check_can_be_contacted, person_match_or_create
from networks.models import Network, PlannedActivity, Province
from portal.access import may
from portal.links import absolute_url
from portal.models import User


def _member_person_ids(event: Event, person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` are members of one of the event's networks."""
    return set(
        Membership.objects.filter(
            network__in=event.networks.all(), person_id__in=list(person_ids), status=Membership.Status.MEMBER
        ).values_list("person_id", flat=True)
    )


@transaction.atomic
def event_create(
    *,
    by: User,
    networks: Iterable[Network],
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    duration_days: Decimal,
    mode: str = Event.Mode.IN_PERSON,
    venue: str = "",
    online_link: str = "",
    topics: Iterable[Topic] = (),
    description: str = "",
    capacity: int | None = None,
    status: str = Event.Status.PLANNED,
    planned_activities: Iterable[PlannedActivity] = (),
    certificate_min_days: Decimal | None = None,
    title_en: str = "",
    agreement: Any = None,
    other_funding: str = "",
    organiser: Province | None = None,
) -> Event:
    """Create an event of one network or several. Every network must be visible to ``by``.
    A board member creates events of her own network only; where the network asks for
    it, her event waits for staff approval before invitations go out. ``organiser`` is
    the province that runs a shared event with the Central Union; an event created by
    provincial staff or a board member is organised by her province."""
    networks = list(networks)
    if not networks:
        raise ValidationError({"networks": _("Choose at least one network.")})
    visible = set(Network.objects.visible_to(by).filter(pk__in=[n.pk for n in networks]).values_list("pk", flat=True))
    if visible != {n.pk for n in networks}:
        raise ValidationError({"networks": _("You may only choose networks of your own province.")})
    organiser = _organiser_for(by, organiser)
    event = Event(
        title=title,
        title_en=title_en,
        agreement=agreement,
        other_funding=other_funding,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        duration_days=duration_days,
        mode=mode,
        venue=venue,
        online_link=online_link,
        description=description,
        capacity=capacity,
        status=status,
        certificate_min_days=certificate_min_days,
        created_by=by,
        awaiting_approval=not may(by, "skip_event_approval") and any(n.requires_event_approval for n in networks),
        organiser=organiser,
    )
    if event.organiser_id and event.organiser_id not in {n.province_id for n in networks}:
        raise ValidationError(
            {"organiser": _("The organising province must be one of the provinces of the event's networks.")}
        )
    event.full_clean()
    event.save()
    event.networks.set(networks)
    event.topics.set(list(topics))
    _set_planned_activities(event, by, planned_activities)
    return event


def _organiser_for(by: User, organiser: Province | None) -> Province | None:
    """The organising province ``by`` may name (the ``choose_event_organiser`` rule):
    nobody named, a user who may not leave it to the Central Union (provincial staff, a
    board member) organises it as her province; naming a province she may not is refused."""
    if organiser is None:
        if may(by, "choose_event_organiser", None):
            return None
        return Province.objects.filter(pk=by.scope_province_id).first()
    if not may(by, "choose_event_organiser", organiser):
        raise ValidationError({"organiser": _("You may only name your own province as the organiser.")})
    return organiser


def _set_planned_activities(event: Event, by: User, activities: Iterable[PlannedActivity]) -> None:
    activities = list(activities)
    allowed = set(
        PlannedActivity.objects.visible_to(by)
        .filter(pk__in=[a.pk for a in activities], plan__network__in=event.networks.all())
        .values_list("pk", flat=True)
    )
    if allowed != {a.pk for a in activities}:
        raise ValidationError({"planned_activities": _("Choose activities of the event's own networks' plans.")})
    event.planned_activities.set(activities)


@transaction.atomic
def event_approve(*, event: Event, by: User) -> Event:
    """Provincial staff approve an event the board created; invitations may then go out."""
    event.awaiting_approval = False
    event.save(update_fields=["awaiting_approval"])
    return event


def event_may_manage(*, event: Event, by: User) -> bool:
    """The ``manage_event`` rule of ``portal.rules``: central staff manage every event,
    provincial staff events of their own province and shared events their province organises."""
    return may(by, "manage_event", event)


@transaction.atomic
def event_update(*, event: Event, by: User, **fields: Any) -> Event:
    """Change an event's own fields (and ``topics``); networks stay as they are."""
    if not event_may_manage(event=event, by=by):
        raise ValidationError(
            _("Only the Central Union or the organising province may change an event of several provinces.")
        )
    topics = fields.pop("topics", None)
    activities = fields.pop("planned_activities", None)
    fields.pop("networks", None)
    if "organiser" in fields and getattr(fields["organiser"], "pk", None) != event.organiser_id:
        organiser = _organiser_for(by, fields["organiser"])
        if organiser is not None and not event.networks.filter(province=organiser).exists():
            raise ValidationError(
                {"organiser": _("The organising province must be one of the provinces of the event's networks.")}
            )
        fields["organiser"] = organiser
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event.save()
    if topics is not None:
        event.topics.set(list(topics))
    if activities is not None:
        _set_planned_activities(event, by, activities)
    return event


@transaction.atomic
def agenda_item_add(
    *,
    event: Event,
    title: str,
    starts_at: time,
    ends_at: time | None = None,
    day: int = 1,
    speaker: Speaker | None = None,
) -> AgendaItem:
    """Add a slot to the programme; its speaker joins ``event.speakers``."""
    item = AgendaItem(event=event, title=title, starts_at=starts_at, ends_at=ends_at, day=day, speaker=speaker)
    item.full_clean()
    item.save()
    if speaker is not None:
        event.speakers.add(speaker)
    return item


@transaction.atomic
def speaker_create(
    *,
    full_name: str,
    kind: str = Speaker.Kind.TRAINER,
    title: str = "",
    organisation: str = "",
    bio_vi: str = "",
    bio_en: str = "",
    email: str = "",
    province: Province | None = None,
) -> Speaker:
    """Add a trainer or speaker to the roster (``province`` None: the shared roster)."""
    speaker = Speaker(
        full_name=full_name,
        kind=kind,
        title=title,
        organisation=organisation,
        bio_vi=bio_vi,
        bio_en=bio_en,
        email=email,
        province=province,
    )
    speaker.full_clean()
    speaker.save()
    return speaker


@transaction.atomic
def invitation_invite_members(*, event: Event, by: User) -> list[Invitation]:
    """Invite every member of the event's networks whom ``by`` may see (her province's
    members on a cross-province event). Already invited people are skipped.
    Returns the new invitations."""
    _check_approved(event)
    people = (
        Person.objects.visible_to(by)
        .filter(
            memberships__network__in=event.networks.all(),
            memberships__status=Membership.Status.MEMBER,
            consent_withdrawn_at__isnull=True,  # she withdrew her consent: not invited
        )
        .exclude(event_invitations__event=event)
        .distinct()
    )
    # bulk_create skips save(); this helper writes the audit rows too.
    created = bulk_create_with_history(
        [Invitation(event=event, person=person, is_member=True, invited_by=by) for person in people],
        Invitation,
        default_user=by,
    )
    return created


@transaction.atomic
def invitation_invite_guest(
    *,
    event: Event,
    by: User,
    province: Province,
    full_name: str,
    organisation: str = "",
    position: str = "",
    email: str = "",
    phone: str = "",
) -> Invitation:
    """Record a named guest (a non-member: potential leader, commune Union staff…) in
    ``province`` and invite her."""
    _check_event_province(event, by, province)
    # Her record's basis: the event's guest list, provided by the staff member inviting her.
    basis = LawfulBasis.official_list(source=_("Guest list of the event “%(event)s”") % {"event": event.title}, by=by)
    person = _guest(by, province, full_name, organisation, position, phone, email, basis=basis)
    return invitation_invite_person(event=event, by=by, person=person)


def _guest(
    by: User,
    province: Province,
    full_name: str,
    organisation: str,
    position: str,
    phone: str,
    email: str,
    *,
    basis: LawfulBasis,
) -> Person:
    """The guest as a person of ``province``, through the one writer of people: a guest
    already on file (same phone or e-mail) is reused, not added twice."""
    person, _created = person_match_or_create(
        province_id=province.pk,
        data={
            "full_name": full_name,
            "organisation": organisation,
            "position": position,
            "phone": phone,
            "email": email,
        },
        basis=basis,
        actor=by,
    )
    return person


@transaction.atomic
def invitation_invite_person(*, event: Event, by: User, person: Person) -> Invitation:
    """Invite one person; she counts as a member when she is a member of one of the
    event's networks, as a guest otherwise."""
    _check_approved(event)
    if not Person.objects.visible_to(by).filter(pk=person.pk).exists():
        raise ValidationError(_("You may only invite people of your own province."))
    if Invitation.objects.filter(event=event, person=person).exists():
        raise ValidationError(_("%(name)s is already invited.") % {"name": person.full_name})
    check_can_be_contacted(person)
    invitation = Invitation(
        event=event, person=person, is_member=person.pk in _member_person_ids(event, [person.pk]), invited_by=by
    )
    invitation.full_clean()
    invitation.save()
    return invitation


def _check_approved(event: Event) -> None:
    if event.awaiting_approval:
        raise ValidationError(_("This event is waiting for the provincial staff's approval; invite people afterwards."))


def _check_event_province(event: Event, by: User, province: Province) -> None:
    if not event.networks.filter(province=province).exists():
        raise ValidationError({"province": _("Choose a province of the event's networks.")})
    if not may(by, "add_people_of_province", province):
        raise ValidationError({"province": _("You may only add people of your own province.")})


@transaction.atomic
def invitation_respond(*, invitation: Invitation, accept: bool) -> Invitation:
    """Accept or decline. An acceptance beyond the event's capacity goes on the waiting
    list; a declined place goes to the first person waiting. Responding again with the
    same answer changes nothing."""
    # Lock the event row so two acceptances cannot both take the last place.
    event = Event.objects.select_for_update().get(pk=invitation.event_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event has been cancelled."))
    if event.ends_at < timezone.now():
        raise ValidationError(_("This event is over; answers are closed."))
    was_holding_place = invitation.status == Invitation.Status.ACCEPTED
    if accept:
        if invitation.status in (Invitation.Status.ACCEPTED, Invitation.Status.WAITLISTED):
            return invitation
        invitation.status = Invitation.Status.ACCEPTED if _has_free_place(event) else Invitation.Status.WAITLISTED
    else:
        if invitation.status == Invitation.Status.DECLINED:
            return invitation
        invitation.status = Invitation.Status.DECLINED
    invitation.responded_at = timezone.now()
    invitation.full_clean()
    invitation.save()
    if was_holding_place and invitation.status == Invitation.Status.DECLINED:
        _promote_from_waiting_list(event)
    return invitation


def _has_free_place(event: Event) -> bool:
    if event.capacity is None:
        return True
    return event.invitations.filter(status=Invitation.Status.ACCEPTED).count() < event.capacity


def _promote_from_waiting_list(event: Event) -> None:
    waiting = event.invitations.filter(status=Invitation.Status.WAITLISTED).order_by("responded_at", "pk").first()
    if waiting is not None and _has_free_place(event):
        waiting.status = Invitation.Status.ACCEPTED
        waiting.save()


@transaction.atomic
def attendance_check_in(
    *,
    event: Event,
    person: Person,
    by: User | None,
    method: str = Attendance.Method.STAFF,
    walk_in: bool = False,
    now: datetime | None = None,
) -> Attendance:
    """Record that ``person`` is present. Idempotent: a second check-in of the same person
    returns the existing row and counts once. Someone not invited is refused unless the
    check-in is an explicit walk-in. A QR self check-in is refused once the event closed."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event has been cancelled."))
    if method == Attendance.Method.QR:
        _check_self_checkin_window(event, now)
    existing = Attendance.objects.filter(event=event, person=person).first()
    if existing is not None:
        return existing
    invitation = Invitation.objects.filter(event=event, person=person).first()
    if invitation is None and not walk_in:
        raise ValidationError(
            _("%(name)s is not invited to this event. Add her as a walk-in guest if she is here.")
            % {"name": person.full_name}
        )
    is_member = invitation.is_member if invitation else person.pk in _member_person_ids(event, [person.pk])
    attendance = Attendance(
        event=event,
        person=person,
        invitation=invitation,
        is_member=is_member,
        method=Attendance.Method.WALK_IN if invitation is None else method,
        checked_in_at=now,
        checked_in_by=by,
    )
    attendance.full_clean()
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError:
        # A simultaneous check-in of the same person won: count her once.
        return Attendance.objects.get(event=event, person=person)
    return attendance


def _check_self_checkin_window(event: Event, now: datetime) -> None:
    """Self check-in (venue QR code) is open from a set time before the start to the end."""
    if event.is_closed(now):
        raise ValidationError(_("Check-in for this event is closed."))
    if now < event.self_checkin_opens_at:
        raise ValidationError(
            ngettext(
                "Check-in for this event is not open yet. It opens at %(opens)s, %(minutes)d minute before the "
                "start; please scan the code again then.",
                "Check-in for this event is not open yet. It opens at %(opens)s, %(minutes)d minutes before the "
                "start; please scan the code again then.",
                settings.SELF_CHECKIN_OPENS_MINUTES_BEFORE,
            )
            % {"opens": _local(event.self_checkin_opens_at), "minutes": settings.SELF_CHECKIN_OPENS_MINUTES_BEFORE}
        )


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


@transaction.atomic
def attendance_undo(*, attendance: Attendance, by: User, reason: str = "") -> Event:
    """Undo a mistaken check-in: the attendance row goes, and its history keeps who undid
    it, when and why (the audit log). Returns the event."""
    event = attendance.event
    attendance._history_user = by  # simple_history records the deletion under her name
    attendance._change_reason = (reason or _("Check-in undone by staff"))[:100]
    attendance.delete()
    return event


@transaction.atomic
def attendance_set_days_present(*, attendance: Attendance, days_present: Decimal | None) -> Attendance:
    """Record how many days a participant attended an event of several days."""
    if days_present is not None and days_present > attendance.event.duration_days:
        raise ValidationError(
            {
                "days_present": _("She cannot attend more days than the event lasts (%(days)s).")
                % {"days": attendance.event.duration_days}
            }
        )
    attendance.days_present = days_present
    attendance.full_clean()
    attendance.save(update_fields=["days_present"])
    return attendance


@transaction.atomic
def attendance_add_walk_in(
    *,
    event: Event,
    by: User,
    province: Province,
    full_name: str,
    organisation: str = "",
    position: str = "",
    phone: str = "",
    email: str = "",
) -> Attendance:
    """Record a walk-in guest on the spot (a new person in ``province``) and check her in.
    Her record's basis is her consent, given in person at the event and recorded by ``by``."""
    _check_event_province(event, by, province)
    from members.models import Consent

    basis = LawfulBasis.consent(
        channel=Consent.Source.EVENT,
        source=_("Walk-in at the event “%(event)s”") % {"event": event.title},
        by=by,
    )
    person = _guest(by, province, full_name, organisation, position, phone, email, basis=basis)
    return attendance_check_in(event=event, person=person, by=by, walk_in=True)


@transaction.atomic
def media_coverage_add(*, event: Event, outlet: str, published_on: date, title: str, url: str) -> MediaCoverage:
    """Record a news item or post about the event."""
    item = MediaCoverage(event=event, outlet=outlet, published_on=published_on, title=title, url=url)
    item.full_clean()
    item.save()
    return item


def invitation_send_emails(*, invitation_ids: Iterable[int]) -> int:
    """E-mail each invitee who has an address and has not been e-mailed yet her personal
    link (accept or decline without logging in). Idempotent: ``emailed_at`` marks the
    sent ones. Returns how many e-mails were sent."""
    sent = 0
    pending = (
        Invitation.objects.filter(pk__in=list(invitation_ids), emailed_at__isnull=True)
        .exclude(person__email="")
        .filter(person__consent_withdrawn_at__isnull=True)  # she withdrew her consent: no e-mail
        .select_related("event", "person")
    )
    for invitation in pending:
        link = absolute_url("events:rsvp", invitation.token)
        event = invitation.event
        body = render_to_string("events/email/invitation.txt", {"invitation": invitation, "event": event, "link": link})
        send_mail(_("Invitation: %(title)s") % {"title": event.title}, body, None, [invitation.person.email])
        # One row at a time: a failure part-way leaves the sent ones marked.
        Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@transaction.atomic
def speaker_update(*, speaker: Speaker, **fields: Any) -> Speaker:
    """Change a roster entry (name, title, organisation, biographies, e-mail, kind, province)."""
    for name in ("kind", "full_name", "title", "organisation", "bio_vi", "bio_en", "email", "province"):
        if name in fields:
            setattr(speaker, name, fields[name])
    speaker.full_clean()
    speaker.save()
    return speaker
