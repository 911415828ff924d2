"""The report's figures: one function per section, each returning plain dicts and lists.

Every function takes network ids (already checked against the requester's scope by the
service) and reads with aggregates, so the query count does not grow with the number of
networks or events (the survey sections excepted, see below). Labels are produced in the active language: call inside
``translation.override(report.language)``.

Figures that pages also show come from (or are pinned by tests to) the owning app's
selectors, so the report and the dashboards cannot disagree: members, ethnic-minority share
and commune coverage from ``members.selectors.representation_for``; attendance from
``events.selectors.event_attendance_figures``, computed here for many events at once with
the same definitions (that selector takes one event and two queries; calling it per event
would make the report's query count grow with the number of events). The survey
sections call the surveys app's selectors for the networks and trainings that have
surveys only, so their cost grows with surveyed networks and trainings, not with all.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from events.models import Attendance, Event, Invitation, MediaCoverage, Speaker
from events.selectors import _EXPECTED as EXPECTED_INVITATIONS
from events.selectors import AttendanceFigures
from members.models import Category, Membership
from members.selectors import AGE_BANDS, representation_for
from networks.models import BoardSeat, BoardTerm, Network
from portal.collation import people_order
from portal.privacy import SMALL, shown_cells, shown_count
from reports.models import LessonsLearned
from surveys.models import Deployment, SurveyTemplate
from surveys.models import Response as SurveyResponse
from surveys.selectors import prepost_analysis, top_needs_for_network

# Speakers the donor report may name (DESIGN.md: trainers' and guest speakers' names only).
NAMED_SPEAKER_KINDS = [Speaker.Kind.TRAINER, Speaker.Kind.GUEST_SPEAKER]


def _in_period(start: date, end: date) -> Q:
    """Events that start within the period (dates in the portal's time zone)."""
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
    until = timezone.make_aware(datetime.combine(end, datetime.max.time()), tz)
    return Q(starts_at__gte=since, starts_at__lte=until)


def _event_days(event: Event) -> int:
    tz = timezone.get_current_timezone()
    return (timezone.localtime(event.ends_at, tz).date() - timezone.localtime(event.starts_at, tz).date()).days + 1


def _number(value: Decimal) -> int | float:
    """A JSON-friendly number: participant-days are whole unless half-day events count."""
    return int(value) if value == value.to_integral_value() else float(value)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def attendance_by_event(events: Sequence[Event]) -> dict[int, AttendanceFigures]:
    """``events.selectors.event_attendance_figures`` for many events in two queries.

    The definitions are that selector's (tests pin them equal on a fixture): attended
    counts everyone checked in, walk-ins included; the rate is invitees present over
    invitations not declined; participant-days are attended × the event's duration."""
    ids = [event.pk for event in events]
    invitations = {
        row["event_id"]: row
        for row in Invitation.objects.filter(event_id__in=ids)
        .order_by()
        .values("event_id")
        .annotate(
            invited=Count("pk"),
            accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
            declined=Count("pk", filter=Q(status=Invitation.Status.DECLINED)),
            waitlisted=Count("pk", filter=Q(status=Invitation.Status.WAITLISTED)),
            invited_attended=Count("pk", filter=Q(status__in=EXPECTED_INVITATIONS, attendance__isnull=False)),
        )
    }
    attendances = {
        row["event_id"]: row
        for row in Attendance.objects.filter(event_id__in=ids)
        .order_by()
        .values("event_id")
        .annotate(
            attended=Count("pk"),
            members=Count("pk", filter=Q(is_member=True)),
            walk_ins=Count("pk", filter=Q(method=Attendance.Method.WALK_IN)),
        )
    }
    no_invitations = {"invited": 0, "accepted": 0, "declined": 0, "waitlisted": 0, "invited_attended": 0}
    no_attendance = {"attended": 0, "members": 0, "walk_ins": 0}
    result = {}
    for event in events:
        inv = invitations.get(event.pk, no_invitations)
        att = attendances.get(event.pk, no_attendance)
        expected = inv["invited"] - inv["declined"]
        result[event.pk] = AttendanceFigures(
            invited=inv["invited"],
            accepted=inv["accepted"],
            declined=inv["declined"],
            waitlisted=inv["waitlisted"],
            expected=expected,
            attended=att["attended"],
            attended_members=att["members"],
            attended_guests=att["attended"] - att["members"],
            walk_ins=att["walk_ins"],
            invited_attended=inv["invited_attended"],
            attendance_rate=inv["invited_attended"] / expected if expected else None,
            participant_days=event.duration_days * att["attended"],
        )
    return result


def summary(network_ids: Sequence[int], start: date, end: date) -> dict[str, Any]:
    """Headline figures over all the networks.

    Members, ethnic minorities, communes covered and young potential leaders are the
    members dashboard's (``representation_for``); the ethnic-minority share is of members
    whose ethnicity is recorded. Events are those starting in the period, not cancelled,
    each counted once even when shared by several networks; their attendance (people
    attending, members and guests, participant-days) sums the event pages' figures."""
    people = representation_for(Network.objects.filter(pk__in=network_ids))
    events = list(
        Event.objects.filter(_in_period(start, end), networks__in=network_ids)
        .exclude(status=Event.Status.CANCELLED)
        .distinct()
        .only("kind", "starts_at", "ends_at", "duration_days")
    )
    attendance = attendance_by_event(events).values()
    by_kind: dict[str, int] = defaultdict(int)
    for event in events:
        by_kind[event.kind] += 1
    labels = dict(Event.Kind.choices)
    known = people["ethnicity_known"]
    minority = people["ethnic_minority"]  # "<5" / "—" when withheld (portal.privacy)
    share = round(100 * minority / known, 1) if known and isinstance(minority, int) else None
    return {
        "networks": len(network_ids),
        "members": people["total"],
        "events": len(events),
        "event_days": sum(_event_days(e) for e in events),
        "events_by_kind": [
            {"kind": kind, "label": str(labels[kind]), "count": by_kind[kind]} for kind in labels if by_kind[kind]
        ],
        "attended": sum(f.attended for f in attendance),
        "attended_members": sum(f.attended_members for f in attendance),
        "attended_guests": sum(f.attended_guests for f in attendance),
        "participant_days": _number(sum((f.participant_days for f in attendance), Decimal(0))),
        "ethnic_minority_members": people["ethnic_minority"],
        "ethnic_minority_share": share,
        "communes_covered": people["communes_covered"],
        "communes_in_provinces": people["communes_in_provinces"],
        "young_potential_leaders": people["young_potential_leaders"],
    }


def network_facts(network_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Founding facts and active member count per network, by province then name."""
    networks = (
        Network.objects.filter(pk__in=network_ids)
        .select_related("province", "legacy_province")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.MEMBER)))
        .order_by("province__name", "name")
    )
    return [
        {
            "id": n.pk,
            "name": n.name,
            "province": n.province.name,
            "founded_as": n.historical_province_name,
            "kind": n.get_kind_display(),
            "status": n.get_status_display(),
            "launch_date": n.launch_date.isoformat() if n.launch_date else "",
            "members": n.member_count,
        }
        for n in networks
    ]


def members_by_network(network_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Each network's active members by category, ethnic group and age band, in one query.

    The same counts as the members dashboard filtered to that network
    (``representation_for``; tests pin them equal): categories in handbook order with
    zeros, plus ``category_unknown``; ethnic groups most frequent first, plus
    ``ethnicity_unknown``; age bands as ``AGE_BANDS``, plus ("unknown", n) when birth years
    are missing."""
    rows = Membership.objects.filter(network_id__in=network_ids, status=Membership.Status.MEMBER).values_list(
        "network_id", "person_id", "person__category", "person__ethnicity", "person__year_of_birth"
    )
    people: dict[int, dict[int, tuple[str, str, int | None]]] = defaultdict(dict)
    for network_id, person_id, category, ethnicity, born in rows:
        people[network_id][person_id] = (category, ethnicity, born)
    year = timezone.localdate().year
    result = {}
    for network_id in network_ids:
        members = people[network_id].values()
        categories = Counter(category for category, _, _ in members)
        ethnicities = Counter(ethnicity for _, ethnicity, _ in members if ethnicity)
        bands: Counter[str] = Counter()
        for _, _, born in members:
            bands[_age_band(year - born) if born else "unknown"] += 1
        # The small-group rule (portal.privacy): "<5" for a small group, "—" for a cell
        # withheld so that the total cannot reveal it.
        band_counts = {label: bands.get(label, 0) for label, _, _ in AGE_BANDS}
        if bands.get("unknown"):
            band_counts["unknown"] = bands["unknown"]
        band_shown = shown_cells(band_counts)
        by_age = [{"label": label, "count": band_shown[label]} for label, _, _ in AGE_BANDS]
        if bands.get("unknown"):
            by_age.append({"label": gettext("unknown"), "count": band_shown["unknown"]})
        category_unknown = sum(n for code, n in categories.items() if code not in Category.values)
        category_shown = shown_cells(
            {**{code: categories.get(code, 0) for code in Category.values}, "": category_unknown}
        )
        ethnicity_unknown = len(members) - sum(ethnicities.values())
        ethnicity_shown = shown_cells({**dict(ethnicities), "": ethnicity_unknown})
        result[network_id] = {
            "categories": [
                {"category": code, "label": str(label), "count": category_shown[code]}
                for code, label in Category.choices
            ],
            "category_unknown": category_shown[""],
            "ethnicities": [{"label": name, "count": ethnicity_shown[name]} for name, _n in ethnicities.most_common()],
            "ethnicity_unknown": ethnicity_shown[""],
            "age_bands": by_age,
        }
    return result


def _age_band(age: int) -> str:
    for label, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return label
    return "unknown"


def boards(network_ids: Sequence[int], *, on: date, with_names: bool) -> dict[int, dict[str, Any] | None]:
    """Each network's board term in office on ``on`` (the latest that has started and not
    ended), or None. Always the seats per role; with ``with_names`` (provincial reports
    only: names are personal data) also each seat's holder and assigned tasks."""
    seats = (
        BoardSeat.objects.filter(term__network_id__in=network_ids, term__starts_on__lte=on)
        .filter(Q(term__ends_on__isnull=True) | Q(term__ends_on__gte=on))
        .select_related("term", "person")
        .order_by("term__network_id", "-term__starts_on", "term_id", "role", *people_order("person__full_name"), "pk")
    )
    terms: dict[int, BoardTerm] = {}
    by_term: dict[int, list[BoardSeat]] = defaultdict(list)
    for seat in seats:
        current = terms.setdefault(seat.term.network_id, seat.term)
        if seat.term_id == current.pk:
            by_term[current.pk].append(seat)
    order = [role for role, _ in BoardSeat.Role.choices]
    labels = dict(BoardSeat.Role.choices)
    result: dict[int, dict[str, Any] | None] = dict.fromkeys(network_ids)
    for network_id, term in terms.items():
        held = sorted(by_term[term.pk], key=lambda seat: order.index(seat.role))
        per_role = Counter(seat.role for seat in held)
        result[network_id] = {
            "starts_on": term.starts_on.isoformat(),
            "ends_on": term.ends_on.isoformat() if term.ends_on else "",
            "how_elected": term.how_elected,
            "seats": len(held),
            "roles": [{"role": role, "label": str(labels[role]), "count": per_role[role]} for role in order],
            "holders": [
                {"role": str(labels[seat.role]), "full_name": seat.person.full_name, "tasks": seat.tasks}
                for seat in held
            ]
            if with_names
            else [],
        }
    return result


def events_by_network(network_ids: Sequence[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """Events of each network that start in the period, oldest first, with the event
    page's attendance figures (whole event: a shared event shows all its participants in
    each of its networks, flagged by ``shared``)."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    through = list(
        Event.networks.through.objects.filter(
            network_id__in=network_ids, event__in=Event.objects.filter(_in_period(start, end))
        )
        .select_related("event")
        .annotate(network_count=Count("event__networks"))
    )
    figures = attendance_by_event(list({link.event_id: link.event for link in through}.values()))
    for link in sorted(through, key=lambda t: (t.event.starts_at, t.event.pk)):
        event = link.event
        f = figures[event.pk]
        result[link.network_id].append(
            {
                "title": event.title,
                "kind": event.get_kind_display(),
                "status": event.get_status_display(),
                "starts": timezone.localtime(event.starts_at).date().isoformat(),
                "ends": timezone.localtime(event.ends_at).date().isoformat(),
                "days": _event_days(event),
                "shared": link.network_count > 1,
                "invited": f.invited,
                "attended": f.attended,
                "attended_members": f.attended_members,
                "attended_guests": f.attended_guests,
                "attendance_rate": _percent(f.attendance_rate),
                "participant_days": _number(f.participant_days),
            }
        )
    return result


def media_by_network(network_ids: Sequence[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """News items about each network's events in the period, by publication date."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    rows = (
        MediaCoverage.objects.filter(
            event__networks__in=network_ids, event__in=Event.objects.filter(_in_period(start, end))
        )
        .values("event__networks", "outlet", "published_on", "title", "url", "event__title")
        .order_by("published_on", "outlet", "pk")
    )
    for row in rows:
        result[row["event__networks"]].append(
            {
                "outlet": row["outlet"],
                "published_on": row["published_on"].isoformat(),
                "title": row["title"],
                "url": row["url"],
                "event": row["event__title"],
            }
        )
    return result


def speakers_by_network(network_ids: Sequence[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """Trainers and guest speakers of each network's events in the period, by name, with
    the events they spoke at: the only people the donor report names."""
    rows = (
        Event.speakers.through.objects.filter(
            event__networks__in=network_ids,
            event__in=Event.objects.filter(_in_period(start, end)),
            speaker__kind__in=NAMED_SPEAKER_KINDS,
        )
        .values(
            "event__networks",
            "speaker_id",
            "speaker__kind",
            "speaker__title",
            "speaker__full_name",
            "speaker__organisation",
            "event__title",
        )
        .order_by(*people_order("speaker__full_name"), "speaker_id", "event__starts_at")
    )
    labels = dict(Speaker.Kind.choices)
    speakers: dict[int, dict[int, dict[str, Any]]] = {network_id: {} for network_id in network_ids}
    for row in rows:
        entry = speakers[row["event__networks"]].setdefault(
            row["speaker_id"],
            {
                "full_name": f"{row['speaker__title']} {row['speaker__full_name']}".strip(),
                "kind": str(labels[row["speaker__kind"]]),
                "organisation": row["speaker__organisation"],
                "events": [],
            },
        )
        if row["event__title"] not in entry["events"]:
            entry["events"].append(row["event__title"])
    return {network_id: list(by_speaker.values()) for network_id, by_speaker in speakers.items()}


def needs_by_network(network_ids: Sequence[int], *, min_respondents: int) -> dict[int, dict[str, Any] | None]:
    """Each network's needs-survey highlights: ``surveys.selectors.top_needs_for_network``
    (the most chosen needs of its latest needs survey with answers), or None.

    Networks without such a survey cost one query in all; the selector runs only for
    networks that have one. With fewer than ``min_respondents`` respondents the needs are
    withheld (``hidden``), as the survey pages hide small groups."""
    surveyed = set(
        Deployment.objects.filter(
            networks__in=network_ids,
            template__kind=SurveyTemplate.Kind.NEEDS,
            responses__status=SurveyResponse.Status.SUBMITTED,
        ).values_list("networks", flat=True)
    ) & set(network_ids)
    result: dict[int, dict[str, Any] | None] = dict.fromkeys(network_ids)
    for network in Network.objects.filter(pk__in=surveyed):
        top = top_needs_for_network(network)
        if top is None or not top["respondents"]:
            continue
        hidden = top.get("hidden") or top["respondents"] < min_respondents
        deployment = top["deployment"]
        result[network.pk] = {
            "survey": deployment.template.title_vi
            if translation.get_language() == "vi" or not deployment.template.title_en
            else deployment.template.title_en,
            "opens": timezone.localtime(deployment.opens_at).date().isoformat(),
            "respondents": top["respondents"],
            "hidden": hidden,
            "needs": []
            if hidden
            else [{"text": n["text"], "count": n["count"], "percent": n["percent"]} for n in top["needs"]],
        }
    return result


def _p_text(p_value: float | None) -> str:
    """A p-value as printed in reports: three decimals, or "< 0.001" (in the active
    language's number format)."""
    if p_value is None:
        return "—"
    return f"< {number_format(0.001, 3)}" if p_value < 0.001 else number_format(p_value, 3)


def prepost_by_network(
    network_ids: Sequence[int], start: date, end: date, *, user: Any, min_pairs: int
) -> dict[int, list[dict[str, Any]]]:
    """Pre/post change of each training in the period that has both a pre and a post
    survey: ``surveys.selectors.prepost_analysis`` (matched pairs, means before and after,
    change, share improved, Wilcoxon p-value) over the responses ``user`` (the requester)
    may see. Trainings without both surveys cost one query in all. A measure over fewer
    than ``min_pairs`` pairs is withheld (``hidden``)."""
    phases = Deployment.objects.filter(
        event__in=Event.objects.filter(_in_period(start, end), networks__in=network_ids),
        phase__in=[Deployment.Phase.PRE, Deployment.Phase.POST],
    ).values_list("event_id", "phase")
    found: dict[int, set[str]] = defaultdict(set)
    for event_id, phase in phases:
        found[event_id].add(phase)
    surveyed = [event_id for event_id, both in found.items() if len(both) == 2]
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    if not surveyed:
        return result
    links = Event.networks.through.objects.filter(event_id__in=surveyed, network_id__in=network_ids)
    networks_of: dict[int, list[int]] = defaultdict(list)
    for link in links:
        networks_of[link.event_id].append(link.network_id)
    for event in Event.objects.filter(pk__in=surveyed).order_by("starts_at", "pk"):
        analysis = prepost_analysis(event=event, user=user)
        measures = [
            {
                "label": str(m.label),
                "pairs": SMALL if m.pairs < min_pairs else m.pairs,
                "hidden": m.pairs < min_pairs,
                "mean_before": None if m.pairs < min_pairs else m.mean_before,
                "mean_after": None if m.pairs < min_pairs else m.mean_after,
                "change": None if m.pairs < min_pairs else m.change,
                "improved_share": None if m.pairs < min_pairs else m.improved_share,
                "p_value": None if m.pairs < min_pairs or m.p_value is None else float(f"{m.p_value:.3g}"),
                "p_text": _p_text(None if m.pairs < min_pairs else m.p_value),
            }
            for m in analysis["measures"]
            if m.pairs
        ]
        entry = {
            "event_id": event.pk,
            "title": event.title,
            "starts": timezone.localtime(event.starts_at).date().isoformat(),
            "pre_responses": shown_count(analysis.get("pre_count", 0), min_pairs),
            "post_responses": shown_count(analysis.get("post_count", 0), min_pairs),
            "measures": measures,
        }
        for network_id in networks_of[event.pk]:
            result[network_id].append(entry)
    return result


def _lessons_dict(entry: LessonsLearned) -> dict[str, Any]:
    return {
        "period_start": entry.period_start.isoformat(),
        "period_end": entry.period_end.isoformat(),
        "achievements": entry.achievements,
        "difficulties": entry.difficulties,
        "lessons": entry.lessons,
        "next_steps": entry.next_steps,
    }


def lessons_by_network(network_ids: Sequence[int], start: date, end: date) -> dict[int, list[dict[str, Any]]]:
    """Lessons-learned entries of each network whose period overlaps the report's."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    entries = LessonsLearned.objects.filter(
        network_id__in=network_ids, period_start__lte=end, period_end__gte=start
    ).order_by("period_start")
    for entry in entries:
        result[entry.network_id].append(_lessons_dict(entry))
    return result


def overall_lessons(start: date, end: date) -> list[dict[str, Any]]:
    """The central staff's overall section(s) overlapping the period."""
    entries = LessonsLearned.objects.filter(
        network__isnull=True, period_start__lte=end, period_end__gte=start
    ).order_by("period_start")
    return [_lessons_dict(entry) for entry in entries]


def member_list(network_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Active members by name: personal data, for provincial reports only."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    rows = (
        Membership.objects.filter(network_id__in=network_ids, status=Membership.Status.MEMBER)
        .select_related("person")
        .order_by("person__full_name")
    )
    for row in rows:
        person = row.person
        result[row.network_id].append(
            {
                "full_name": person.full_name,
                "organisation": person.organisation,
                "position": person.position,
                "category": person.get_category_display(),
                "joined_on": row.joined_on.isoformat() if row.joined_on else "",
            }
        )
    return result
