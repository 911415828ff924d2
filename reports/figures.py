"""The report's figures: one function per section, each returning plain dicts and lists.

Every function takes network ids (already checked against the requester's scope by the
service) and a :class:`reports.period.Window` (period and data cut-off), and reads with
aggregates, so the query count does not grow with the number of networks or events (the
survey sections excepted, see below). Labels and narrative texts are produced in the
active language: call inside ``translation.override(report.language)``. Bilingual texts
come as ``{"text": ..., "missing": bool}`` where ``missing`` marks an English report
printing the Vietnamese original because the English text is still missing.

Period truth lives in ``reports.period``: only events delivered in the period count,
memberships are those in force at the period end, and nothing entered after the cut-off
is read, so a report regenerated with its old cut-off has the same figures.

Figures that pages also show come from (or are pinned by tests to) the owning app's
selectors, so the report and the dashboards cannot disagree: the members dashboard's
definitions (``members.selectors.representation_for``) applied to the memberships in force
at the period end; attendance with ``events.selectors.event_attendance_figures``'s
definitions, computed here for many events at once. The survey sections call the surveys
app's selectors for the trainings that have surveys only.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from events.models import Attendance, Event, Invitation, MediaCoverage, Speaker
from events.selectors import _EXPECTED as EXPECTED_INVITATIONS
from events.selectors import AttendanceFigures
from members.models import MAJORITY_ETHNICITY, Category
from members.selectors import AGE_BANDS
from networks.models import BoardSeat, BoardTerm, Commune, Network, PlannedActivity, bilingual
from portal.collation import people_order
from portal.privacy import MIN_GROUP_SIZE, SMALL, is_small, shown_cells, shown_count
from reports.models import LessonsLearned
from reports.period import Window, memberships_as_of, period_events
from surveys.models import Answer, Deployment, Question, SpeakerRating, SurveyTemplate
from surveys.models import Response as SurveyResponse
from surveys.selectors import prepost_analyses

# Speakers the donor report may name (DESIGN.md: trainers' and guest speakers' names only).
NAMED_SPEAKER_KINDS = [Speaker.Kind.TRAINER, Speaker.Kind.GUEST_SPEAKER]


def text(vi: str, en: str) -> dict[str, Any]:
    """A bilingual text in the active language, flagged when its translation is missing."""
    value, missing = bilingual(vi or "", en or "", translation.get_language() or "vi")
    return {"text": value, "missing": missing}


def _event_days(event: Event) -> int:
    tz = timezone.get_current_timezone()
    return (timezone.localtime(event.ends_at, tz).date() - timezone.localtime(event.starts_at, tz).date()).days + 1


def _number(value: Decimal) -> int | float:
    """A JSON-friendly number: participant-days are whole unless half-day events count."""
    return int(value) if value == value.to_integral_value() else float(value)


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def _local_date(moment: Any) -> date:
    return timezone.localtime(moment).date()


def event_title(event: Event) -> dict[str, Any]:
    return text(event.title, event.title_en)


def attendance_by_event(events: Sequence[Event], cutoff: Any = None) -> dict[int, AttendanceFigures]:
    """``events.selectors.event_attendance_figures`` for many events in two queries,
    counting only invitations and check-ins recorded by ``cutoff`` (when given).

    The definitions are that selector's (tests pin them equal on a fixture): attended
    counts everyone checked in, walk-ins included; the rate is invitees present over
    invitations not declined; participant-days are attended × the event's duration."""
    ids = [event.pk for event in events]
    invitations_q = Invitation.objects.filter(event_id__in=ids)
    attendances_q = Attendance.objects.filter(event_id__in=ids)
    attended_filter = Q(status__in=EXPECTED_INVITATIONS, attendance__isnull=False)
    if cutoff is not None:
        invitations_q = invitations_q.filter(invited_at__lte=cutoff)
        attendances_q = attendances_q.filter(checked_in_at__lte=cutoff)
        attended_filter &= Q(attendance__checked_in_at__lte=cutoff)
    invitations = {
        row["event_id"]: row
        for row in invitations_q.order_by()
        .values("event_id")
        .annotate(
            invited=Count("pk"),
            accepted=Count("pk", filter=Q(status=Invitation.Status.ACCEPTED)),
            declined=Count("pk", filter=Q(status=Invitation.Status.DECLINED)),
            waitlisted=Count("pk", filter=Q(status=Invitation.Status.WAITLISTED)),
            invited_attended=Count("pk", filter=attended_filter),
        )
    }
    attendances = {
        row["event_id"]: row
        for row in attendances_q.order_by()
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


class Period:
    """The events a report counts, loaded once and shared by the sections: delivered in
    the period (with their attendance as of the cut-off) and planned for next period."""

    def __init__(self, network_ids: Sequence[int], window: Window, *, user: Any = None) -> None:
        self.network_ids = list(network_ids)
        self.window = window
        self.user = user  # whose view of survey responses the pre/post figures use
        self.delivered, self.upcoming = period_events(self.network_ids, window)
        ids = [e.pk for e in self.delivered + self.upcoming]
        self.networks_of: dict[int, list[int]] = defaultdict(list)
        self.shared: set[int] = set()
        links = Event.networks.through.objects.filter(event_id__in=ids).values_list("event_id", "network_id")
        for event_id, network_id in links:
            if network_id in self.network_ids:
                self.networks_of[event_id].append(network_id)
            else:
                self.shared.add(event_id)
        for event_id, nets in self.networks_of.items():
            if len(nets) > 1:
                self.shared.add(event_id)
        self.attendance = attendance_by_event(self.delivered, window.cutoff)
        self.delivered_ids = [e.pk for e in self.delivered]
        self._prepost: dict[int, dict[str, Any]] = {}
        self._people: dict[int, dict[int, tuple[str, str, int | None, int | None, bool, str]]] | None = None
        self._province_of: dict[int, int] | None = None

    def prepost(self, event: Event) -> dict[str, Any]:
        """``prepost_analysis`` of a delivered training as of the cut-off, computed once
        for the report (its section and the results framework share it). The first call
        analyses every delivered training at once: a fixed number of queries, not a few
        per training."""
        if event.pk not in self._prepost:
            pending = [e for e in self.delivered if e.pk not in self._prepost]
            if event.pk not in {e.pk for e in pending}:
                pending.append(event)
            self._prepost.update(prepost_analyses(events=pending, user=self.user, submitted_by=self.window.cutoff))
        return self._prepost[event.pk]

    def members(self) -> Any:
        return memberships_as_of(self.network_ids, self.window.as_of)

    def province_of(self) -> dict[int, int]:
        """Network id -> province id (read once)."""
        if self._province_of is None:
            self._province_of = dict(
                Network.objects.filter(pk__in=self.network_ids).order_by().values_list("pk", "province_id")
            )
        return self._province_of


def _people_rows(period: Period) -> dict[int, dict[int, tuple[str, str, int | None, int | None, bool, str]]]:
    """Members in force at the period end, per network: person id -> (category,
    ethnicity, birth year, commune id, young potential leader, age band kept on an
    anonymised record). One query per report
    (the summary and the network sections share it)."""
    if period._people is None:
        period._people = _read_people_rows(period)
    return period._people


def _read_people_rows(period: Period) -> dict[int, dict[int, tuple[str, str, int | None, int | None, bool, str]]]:
    rows = period.members().values_list(
        "network_id",
        "person_id",
        "person__category",
        "person__ethnicity",
        "person__year_of_birth",
        "person__commune_id",
        "person__is_young_potential_leader",
        "person__age_band",
    )
    people: dict[int, dict[int, tuple[str, str, int | None, int | None, bool, str]]] = defaultdict(dict)
    for network_id, person_id, *rest in rows:
        people[network_id][person_id] = tuple(rest)  # type: ignore[assignment]
    return people


def summary(period: Period) -> dict[str, Any]:
    """Headline figures over all the networks.

    Members, ethnic minorities, communes covered and young potential leaders follow the
    members dashboard's definitions (``representation_for``: each person once, the
    ethnic-minority share of members whose ethnicity is recorded) over the memberships
    in force at the period end. Events are those delivered in the period, each counted
    once even when shared; their attendance sums the event pages' figures."""
    people: dict[int, tuple[str, str, int | None, int | None, bool, str]] = {}
    for per_network in _people_rows(period).values():
        people.update(per_network)
    communes_total = Commune.objects.filter(province__networks__in=period.network_ids).distinct().count()
    events = period.delivered
    attendance = [period.attendance[e.pk] for e in events]
    by_kind: dict[str, int] = defaultdict(int)
    for event in events:
        by_kind[event.kind] += 1
    labels = dict(Event.Kind.choices)
    known = [row for row in people.values() if row[1]]
    # The small-group rule (portal.privacy): "<5" ethnic-minority members, and no share.
    minority = shown_count(sum(1 for row in known if row[1] != MAJORITY_ETHNICITY))
    share = round(100 * minority / len(known), 1) if known and isinstance(minority, int) else None
    return {
        "networks": len(period.network_ids),
        "members": len(people),
        "events": len(events),
        "events_next_period": len(period.upcoming),
        "event_days": sum(_event_days(e) for e in events),
        "events_by_kind": [
            {"kind": kind, "label": str(labels[kind]), "count": by_kind[kind]} for kind in labels if by_kind[kind]
        ],
        "attended": sum(f.attended for f in attendance),
        "attended_members": sum(f.attended_members for f in attendance),
        "attended_guests": sum(f.attended_guests for f in attendance),
        "participant_days": _number(sum((f.participant_days for f in attendance), Decimal(0))),
        "ethnic_minority_members": minority,
        "ethnic_minority_share": share,
        "communes_covered": len({row[3] for row in people.values() if row[3]}),
        "communes_in_provinces": communes_total,
        "young_potential_leaders": sum(1 for row in people.values() if row[4]),
    }


def network_facts(period: Period) -> list[dict[str, Any]]:
    """Founding facts and members at the period end per network, by province then name."""
    counts = dict(
        period.members().order_by().values("network_id").annotate(n=Count("pk")).values_list("network_id", "n")
    )
    networks = (
        Network.objects.filter(pk__in=period.network_ids)
        .select_related("province", "legacy_province")
        .order_by("province__name", "name")
    )
    return [
        {
            "id": n.pk,
            "name": n.name,
            "province_id": n.province_id,
            "province": n.province.name,
            "founded_as": n.historical_province_name,
            "kind": n.get_kind_display(),
            "status": n.get_status_display(),
            "launch_date": n.launch_date,
            "members": counts.get(n.pk, 0),
        }
        for n in networks
    ]


def members_by_network(period: Period) -> dict[int, dict[str, Any]]:
    """Each network's members at the period end by category, ethnic group and age band.

    The same counts as the members dashboard filtered to that network
    (``representation_for``; tests pin them equal when nothing changed since): categories
    in handbook order with zeros, plus ``category_unknown``; ethnic groups most frequent
    first, plus ``ethnicity_unknown``; age bands as ``AGE_BANDS`` (ages at the period end),
    plus ("unknown", n) when birth years are missing."""
    people = _people_rows(period)
    year = period.window.as_of_date.year
    result = {}
    for network_id in period.network_ids:
        members = people[network_id].values()
        categories = Counter(row[0] for row in members)
        ethnicities = Counter(row[1] for row in members if row[1])
        bands: Counter[str] = Counter()
        for row in members:
            # An anonymised record keeps her age band as a category (no birth year).
            bands[_age_band(year - row[2]) if row[2] else row[5] or "unknown"] += 1
        # The small-group rule (portal.privacy): "<5" for a small group, "—" for a cell
        # withheld so that the total cannot reveal it; as on the members dashboard.
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
            "ethnicities": [
                {"label": name, "count": ethnicity_shown[name]}
                for name, _n in sorted(ethnicities.items(), key=lambda i: (-i[1], i[0]))
            ],
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
            "starts_on": term.starts_on,
            "ends_on": term.ends_on,
            "how_elected": text(term.how_elected, term.how_elected_en),
            "seats": len(held),
            "roles": [{"role": role, "label": str(labels[role]), "count": per_role[role]} for role in order],
            "holders": [
                {
                    "role": str(labels[seat.role]),
                    "full_name": seat.person.full_name,
                    "tasks": text(seat.tasks, seat.tasks_en),
                }
                for seat in held
            ]
            if with_names
            else [],
        }
    return result


def _funding(event: Event, agreements: dict[int, str]) -> str:
    if event.agreement_id:
        return agreements.get(event.agreement_id, "")
    return event.other_funding


def _agreement_numbers(events: Sequence[Event]) -> dict[int, str]:
    from networks.models import DonorAgreement

    ids = {e.agreement_id for e in events if e.agreement_id}
    return dict(DonorAgreement.objects.filter(pk__in=ids).values_list("pk", "number")) if ids else {}


def events_by_network(period: Period) -> dict[int, list[dict[str, Any]]]:
    """Events each network delivered in the period, oldest first, with the event page's
    attendance figures (whole event: a shared event shows all its participants in each of
    its networks, flagged by ``shared``) and their funding."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in period.network_ids}
    agreements = _agreement_numbers(period.delivered)
    topics: dict[int, list[dict[str, Any]]] = defaultdict(list)
    links = Event.topics.through.objects.filter(event_id__in=period.delivered_ids).order_by("topic__name")
    for event_id, name, name_en in links.values_list("event_id", "topic__name", "topic__name_en"):
        topics[event_id].append(text(name, name_en))
    for event in period.delivered:
        f = period.attendance[event.pk]
        row = {
            "id": event.pk,
            "title": event_title(event),
            "kind": event.get_kind_display(),
            "kind_code": event.kind,
            "starts": _local_date(event.starts_at),
            "ends": _local_date(event.ends_at),
            "days": _event_days(event),
            "shared": event.pk in period.shared,
            "funding": _funding(event, agreements),
            "topics": topics[event.pk],
            "invited": f.invited,
            "attended": f.attended,
            "attended_members": f.attended_members,
            "attended_guests": f.attended_guests,
            "attendance_rate": _percent(f.attendance_rate),
            "participant_days": _number(f.participant_days),
        }
        for network_id in period.networks_of[event.pk]:
            result[network_id].append(row)
    return result


def next_period_by_network(period: Period) -> dict[int, list[dict[str, Any]]]:
    """Events still planned as of the cut-off: listed as "next period", never counted."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in period.network_ids}
    for event in period.upcoming:
        row = {
            "title": event_title(event),
            "kind": event.get_kind_display(),
            "starts": _local_date(event.starts_at),
        }
        for network_id in period.networks_of[event.pk]:
            result[network_id].append(row)
    return result


def plan_items_by_network(period: Period) -> dict[int, list[dict[str, Any]]]:
    """Each network's annual-plan items for the years of the period (bilingual titles)."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in period.network_ids}
    items = PlannedActivity.objects.filter(
        plan__network_id__in=period.network_ids,
        plan__year__gte=period.window.start.year,
        plan__year__lte=period.window.end.year,
    ).order_by("plan__year", "pk")
    for item in items.values("plan__network_id", "plan__year", "title", "title_en", "target", "planned_for"):
        result[item["plan__network_id"]].append(
            {
                "year": item["plan__year"],
                "title": text(item["title"], item["title_en"]),
                "target": item["target"],
                "when": item["planned_for"],
            }
        )
    return result


def planned_vs_delivered(period: Period, targets: dict[tuple[int, str], Decimal] | None = None) -> list[dict[str, Any]]:
    """Per network and event kind: events planned for the period (delivered, still
    planned, or cancelled after being planned) against those delivered, with the
    agreement's target for the kind when the results framework has one
    (``targets[(province id, kind)]``)."""
    window = period.window
    planned_rows = (
        Event.objects.filter(
            networks__in=period.network_ids,
            starts_at__gte=window.since,
            starts_at__lte=window.until,
            created_at__lte=window.cutoff,
        )
        .values_list("networks", "kind")
        .order_by()
    )
    planned: Counter[tuple[int, str]] = Counter(planned_rows)
    delivered: Counter[tuple[int, str]] = Counter()
    for event in period.delivered:
        for network_id in period.networks_of[event.pk]:
            delivered[(network_id, event.kind)] += 1
    networks = Network.objects.filter(pk__in=period.network_ids).select_related("province").order_by("province__name")
    rows = []
    for network in networks:
        for kind, label in Event.Kind.choices:
            target = (targets or {}).get((network.province_id, kind))
            p, d = planned[(network.pk, kind)], delivered[(network.pk, kind)]
            if p or d or target is not None:
                rows.append(
                    {
                        "network": network.name,
                        "province": network.province.name,
                        "kind": str(label),
                        "target": target,
                        "planned": p,
                        "delivered": d,
                    }
                )
    return rows


def media_by_network(period: Period) -> dict[int, list[dict[str, Any]]]:
    """News items about each network's delivered events, entered by the cut-off."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in period.network_ids}
    titles = {e.pk: event_title(e) for e in period.delivered}
    rows = (
        MediaCoverage.objects.filter(event_id__in=period.delivered_ids, created_at__lte=period.window.cutoff)
        .values("event_id", "outlet", "published_on", "title", "url")
        .order_by("published_on", "outlet", "pk")
    )
    for row in rows:
        for network_id in period.networks_of[row["event_id"]]:
            result[network_id].append(
                {
                    "outlet": row["outlet"],
                    "published_on": row["published_on"],
                    "title": row["title"],
                    "url": row["url"],
                    "event": titles[row["event_id"]],
                }
            )
    return result


def trainer_ratings(period: Period) -> dict[int, dict[str, Any]]:
    """Average rating (1–5) and number of ratings per speaker over the post-event
    questionnaires of delivered events, submitted by the cut-off. One query."""
    rows = (
        SpeakerRating.objects.filter(
            response__status=SurveyResponse.Status.SUBMITTED,
            response__submitted_at__lte=period.window.cutoff,
            response__deployment__event_id__in=period.delivered_ids,
        )
        .values("speaker_id")
        .annotate(average=Avg("score"), count=Count("pk"))
        .order_by()
    )
    return {r["speaker_id"]: {"average": round(float(r["average"]), 1), "count": r["count"]} for r in rows}


def speakers_by_network(
    period: Period, ratings: dict[int, dict[str, Any]] | None = None
) -> dict[int, list[dict[str, Any]]]:
    """Trainers and guest speakers of each network's delivered events, by name, with the
    events they spoke at and their rating: the only people the donor report names."""
    rows = (
        Event.speakers.through.objects.filter(event_id__in=period.delivered_ids, speaker__kind__in=NAMED_SPEAKER_KINDS)
        .values(
            "event_id", "speaker_id", "speaker__kind", "speaker__title", "speaker__full_name", "speaker__organisation"
        )
        .order_by(*people_order("speaker__full_name"), "speaker_id", "event__starts_at")
    )
    titles = {e.pk: event_title(e)["text"] for e in period.delivered}
    labels = dict(Speaker.Kind.choices)
    ratings = ratings or {}
    speakers: dict[int, dict[int, dict[str, Any]]] = {network_id: {} for network_id in period.network_ids}
    for row in rows:
        for network_id in period.networks_of[row["event_id"]]:
            entry = speakers[network_id].setdefault(
                row["speaker_id"],
                {
                    "id": row["speaker_id"],
                    "full_name": f"{row['speaker__title']} {row['speaker__full_name']}".strip(),
                    "kind": str(labels[row["speaker__kind"]]),
                    "organisation": row["speaker__organisation"],
                    "events": [],
                    "rating": ratings.get(row["speaker_id"]),
                },
            )
            if titles[row["event_id"]] not in entry["events"]:
                entry["events"].append(titles[row["event_id"]])
    return {network_id: list(by_speaker.values()) for network_id, by_speaker in speakers.items()}


def _deployments_of_period(period: Period, kind: str) -> Any:
    window = period.window
    return Deployment.objects.filter(
        template__kind=kind, opens_at__gte=window.since, opens_at__lte=window.until, created_at__lte=window.cutoff
    )


def needs_by_network(period: Period, *, min_respondents: int, limit: int = 5) -> dict[int, dict[str, Any] | None]:
    """Each network's needs-survey highlights over every needs-survey deployment opened
    in the period (submitted by the cut-off), or None when nobody answered: the options
    chosen most in the questions flagged ``is_top_need``, as ``top_needs_for_network``
    counts them for one deployment. Two queries whatever the number of networks. With
    fewer than ``min_respondents`` respondents the needs are withheld (``hidden``)."""
    submitted = SurveyResponse.objects.filter(
        deployment__in=_deployments_of_period(period, SurveyTemplate.Kind.NEEDS),
        network_id__in=period.network_ids,
        status=SurveyResponse.Status.SUBMITTED,
        submitted_at__lte=period.window.cutoff,
    )
    counts = dict(submitted.order_by().values("network_id").annotate(n=Count("pk")).values_list("network_id", "n"))
    surveys = dict(
        submitted.order_by()
        .values("network_id")
        .annotate(n=Count("deployment", distinct=True))
        .values_list("network_id", "n")
    )
    answers = (
        Answer.objects.filter(response__in=submitted.values("pk"), question__is_top_need=True, option__isnull=False)
        .values("response__network_id", "option__text_vi", "option__text_en")
        .annotate(n=Count("pk"))
        .order_by("response__network_id", "-n", "option__text_vi")
    )
    english = (translation.get_language() or "vi").startswith("en")
    by_network: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in answers:
        by_network[row["response__network_id"]].append(row)
    result: dict[int, dict[str, Any] | None] = dict.fromkeys(period.network_ids)
    for network_id, respondents in counts.items():
        # The small-group rule holds in every report, as on the survey pages.
        hidden = is_small(respondents) or respondents < min_respondents
        needs = [
            {
                "text": r["option__text_en"] if english and r["option__text_en"] else r["option__text_vi"],
                "count": r["n"],
                "percent": round(100 * r["n"] / respondents, 1),
            }
            for r in by_network[network_id][:limit]
        ]
        result[network_id] = {
            "surveys": surveys.get(network_id, 0),
            "respondents": shown_count(respondents, max(min_respondents, MIN_GROUP_SIZE)) if hidden else respondents,
            "hidden": hidden,
            "needs": [] if hidden else needs,
        }
    return result


def _p_text(p_value: float | None) -> str:
    """A p-value as printed in reports: three decimals, or "< 0.001" (in the active
    language's number format)."""
    if p_value is None:
        return "—"
    return f"< {number_format(0.001, 3)}" if p_value < 0.001 else number_format(p_value, 3)


def prepost_by_network(period: Period, *, user: Any, min_pairs: int) -> dict[int, list[dict[str, Any]]]:
    """Pre/post change of each delivered training that has both a pre and a post survey:
    ``surveys.selectors.prepost_analysis`` (matched pairs, means before and after, change,
    share improved, Wilcoxon p-value) over the responses ``user`` (the requester) may see,
    submitted by the cut-off. Trainings without both surveys cost one query in all. A
    measure over fewer than ``min_pairs`` pairs is withheld (``hidden``)."""
    phases = Deployment.objects.filter(
        event_id__in=period.delivered_ids, phase__in=[Deployment.Phase.PRE, Deployment.Phase.POST]
    ).values_list("event_id", "phase")
    found: dict[int, set[str]] = defaultdict(set)
    for event_id, phase in phases:
        found[event_id].add(phase)
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in period.network_ids}
    trainings = [event for event in period.delivered if len(found.get(event.pk, ())) == 2]
    others = (
        {} if user == period.user else prepost_analyses(events=trainings, user=user, submitted_by=period.window.cutoff)
    )
    for event in trainings:
        analysis = period.prepost(event) if user == period.user else others[event.pk]
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
        if not measures:
            continue  # no matched pair yet: nothing to report for this training
        entry = {
            "event_id": event.pk,
            "title": event_title(event),
            "starts": _local_date(event.starts_at),
            "pre_responses": shown_count(analysis.get("pre_count", 0), min_pairs),
            "post_responses": shown_count(analysis.get("post_count", 0), min_pairs),
            "measures": measures,
        }
        for network_id in period.networks_of[event.pk]:
            result[network_id].append(entry)
    return result


def evaluation_results(period: Period, *, min_respondents: int) -> list[dict[str, Any]]:
    """The evaluation questionnaires opened in the period: respondents (submitted by the
    cut-off) and, per scale or number question, the mean answer; per choice question the
    share choosing each option. Withheld under ``min_respondents``. Three queries."""
    deployments = list(
        _deployments_of_period(period, SurveyTemplate.Kind.EVALUATION)
        .filter(Q(networks__in=period.network_ids) | Q(event_id__in=period.delivered_ids))
        .distinct()
        .select_related("template")
        .order_by("opens_at", "pk")
    )
    if not deployments:
        return []
    submitted = SurveyResponse.objects.filter(
        deployment__in=deployments,
        network_id__in=period.network_ids,
        status=SurveyResponse.Status.SUBMITTED,
        submitted_at__lte=period.window.cutoff,
    )
    respondents = dict(
        submitted.order_by().values("deployment_id").annotate(n=Count("pk")).values_list("deployment_id", "n")
    )
    numeric = (
        Answer.objects.filter(
            response__in=submitted.values("pk"), number__isnull=False, question__kind__in=Question.NUMERIC_KINDS
        )
        .values("response__deployment_id", "question_id", "question__text_vi", "question__text_en", "question__order")
        .annotate(mean=Avg("number"), n=Count("pk"))
        .order_by("response__deployment_id", "question__order", "question_id")
    )
    choices = (
        Answer.objects.filter(response__in=submitted.values("pk"), option__isnull=False)
        .values(
            "response__deployment_id",
            "question_id",
            "question__text_vi",
            "question__text_en",
            "question__order",
            "option__text_vi",
            "option__text_en",
        )
        .annotate(n=Count("pk"))
        .order_by("response__deployment_id", "question__order", "question_id", "-n")
    )
    result = []
    for deployment in deployments:
        total = respondents.get(deployment.pk, 0)
        hidden = total < min_respondents
        questions: dict[int, dict[str, Any]] = {}
        if not hidden:
            for row in numeric:
                if row["response__deployment_id"] == deployment.pk:
                    questions[row["question_id"]] = {
                        "question": text(row["question__text_vi"], row["question__text_en"]),
                        "mean": round(float(row["mean"]), 1),
                        "answers": row["n"],
                        "options": [],
                    }
            for row in choices:
                if row["response__deployment_id"] == deployment.pk:
                    entry = questions.setdefault(
                        row["question_id"],
                        {
                            "question": text(row["question__text_vi"], row["question__text_en"]),
                            "mean": None,
                            "answers": 0,
                            "options": [],
                        },
                    )
                    entry["options"].append(
                        {
                            "text": text(row["option__text_vi"], row["option__text_en"]),
                            "count": row["n"],
                            "percent": round(100 * row["n"] / total, 1),
                        }
                    )
        result.append(
            {
                "survey": text(deployment.template.title_vi, deployment.template.title_en),
                "opens": _local_date(deployment.opens_at),
                "respondents": total,
                "hidden": hidden,
                "questions": list(questions.values()),
            }
        )
    return result


def trainings_annex(period: Period, *, min_group: int) -> list[dict[str, Any]]:
    """Every training delivered in the period: dates, networks, participants by group
    (members, guests, ethnic minority, young potential leaders; groups smaller than
    ``min_group`` are flagged for the small-cell rule) and the pre/post knowledge change."""
    trainings = [e for e in period.delivered if e.kind == Event.Kind.TRAINING]
    ids = [e.pk for e in trainings]
    groups = {
        row["event_id"]: row
        for row in Attendance.objects.filter(event_id__in=ids, checked_in_at__lte=period.window.cutoff)
        .order_by()
        .values("event_id")
        .annotate(
            minority=Count("pk", filter=~Q(person__ethnicity="") & ~Q(person__ethnicity=MAJORITY_ETHNICITY)),
            young=Count("pk", filter=Q(person__is_young_potential_leader=True)),
        )
    }
    names = dict(Network.objects.filter(pk__in=period.network_ids).values_list("pk", "name"))
    rows = []
    for event in trainings:
        f = period.attendance[event.pk]
        g = groups.get(event.pk, {"minority": 0, "young": 0})
        rows.append(
            {
                "event_id": event.pk,
                "title": event_title(event),
                "starts": _local_date(event.starts_at),
                "ends": _local_date(event.ends_at),
                "networks": ", ".join(names[n] for n in period.networks_of[event.pk]),
                "attended": f.attended,
                "members": f.attended_members,
                "guests": f.attended_guests,
                "ethnic_minority": g["minority"],
                "young": g["young"],
                "knowledge_change": None,
                "pairs": 0,
            }
        )
    return rows


def _lessons_dict(entry: Any) -> dict[str, Any]:
    return {
        "period_start": entry.period_start,
        "period_end": entry.period_end,
        "achievements": text(entry.achievements, entry.achievements_en),
        "difficulties": text(entry.difficulties, entry.difficulties_en),
        "lessons": text(entry.lessons, entry.lessons_en),
        "next_steps": text(entry.next_steps, entry.next_steps_en),
    }


def _lessons_as_of(window: Window) -> list[Any]:
    """Lessons-learned entries overlapping the period as they stood at the cut-off."""
    entries = LessonsLearned.history.as_of(window.cutoff)
    return list(entries.filter(period_start__lte=window.end, period_end__gte=window.start))


def lessons_by_network(network_ids: Sequence[int], window: Window) -> dict[int, list[dict[str, Any]]]:
    """Lessons-learned entries of each network whose period overlaps the report's."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in network_ids}
    entries = [e for e in _lessons_as_of(window) if e.network_id in result]
    for entry in sorted(entries, key=lambda e: e.period_start):
        result[entry.network_id].append(_lessons_dict(entry))
    return result


def overall_lessons(window: Window) -> list[dict[str, Any]]:
    """The central staff's overall section(s) overlapping the period."""
    entries = [e for e in _lessons_as_of(window) if e.network_id is None]
    return [_lessons_dict(entry) for entry in sorted(entries, key=lambda e: e.period_start)]


def member_list(period: Period) -> dict[int, list[dict[str, Any]]]:
    """Members at the period end by name: personal data, for provincial reports only."""
    result: dict[int, list[dict[str, Any]]] = {network_id: [] for network_id in period.network_ids}
    rows = period.members().select_related("person").order_by("person__full_name")
    for row in rows:
        person = row.person
        result[row.network_id].append(
            {
                "full_name": person.full_name,
                "organisation": person.organisation,
                "position": person.position,
                "category": person.get_category_display(),
                "joined_on": row.joined_on,
            }
        )
    return result
