"""Reads for people and memberships, always scoped through ``visible_to``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from members.models import MAJORITY_ETHNICITY, Category, Consent, Membership, Person, search_key
from networks.models import Network
from portal.collation import people_order
from portal.privacy import shown_cells, shown_count

S = Membership.Status


def person_search(*, user: Any, query: str = "", network_id: int | None = None) -> QuerySet[Person]:
    """People the user may see, optionally matching ``query`` without regard to accents or
    case, in name, phone (either +84… or 0…), e-mail or organisation."""
    qs = Person.objects.visible_to(user).select_related("province", "commune")
    for word in search_key(query).split():
        qs = qs.filter(search_text__contains=word)
    if network_id:
        qs = qs.filter(memberships__network_id=network_id)
    return qs.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("network").order_by("network__name"))
    ).order_by(*people_order(), "pk")


def pipeline_for(*, user: Any, network_id: int | None = None, status: str = "") -> dict[str, Any]:
    """Counts per stage and the memberships of one stage (or all), for the pipeline page.

    Returns {"counts": [(status, label, count), ...] in pipeline order,
    "memberships": QuerySet, "total": int}."""
    from members.services import PIPELINE_ORDER

    qs = Membership.objects.visible_to(user)
    if network_id:
        qs = qs.filter(network_id=network_id)
    by_status = dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
    counts = [(s.value, s.label, by_status.get(s.value, 0)) for s in PIPELINE_ORDER]
    rows = qs.select_related("person", "network").order_by("network__name", *people_order("person__full_name"), "pk")
    if status:
        rows = rows.filter(status=status)
    return {"counts": counts, "memberships": rows, "total": sum(by_status.values())}


AGE_BANDS: list[tuple[str, int | None, int | None]] = [
    ("< 35", None, 34),
    ("35–44", 35, 44),
    ("45–54", 45, 54),
    ("≥ 55", 55, None),
]


def representation_for(networks: QuerySet[Network]) -> dict[str, Any]:
    """How well a set of networks' active members represent the province(s).

    ``networks`` must already be scoped (e.g. ``Network.objects.visible_to(user)``).
    Counts members (status "member") once per person even if she is in two networks.
    Returns a dict:
      total: int — members;
      by_category: list[(code, label, count)] in Category order (including zeros);
      kinh: int; ethnic_minority: int; ethnicity_unknown: int;
      by_ethnicity: list[(name, count)] most frequent first, ties by name (only groups present);
      by_age_band: list[(label, count)] plus ("unknown", n) when birth years are missing;
      young_potential_leaders: int;
      communes_covered: int — distinct communes/wards members come from;
      communes_in_provinces: int — communes/wards in those networks' provinces;
    Two queries, whatever the number of members.

    The small-group rule (``portal.privacy``) is applied to every breakdown: a group of
    fewer than 5 shows as "<5" and complementary cells as "—", so each count in
    ``by_category``, ``by_ethnicity`` (with ``ethnicity_unknown``), ``by_age_band``,
    ``kinh``/``ethnic_minority``/``ethnicity_unknown`` and ``young_potential_leaders``
    may be such a string instead of an int. ``ethnicity_known`` is the raw number of
    members whose ethnicity is stated (for shares).
    """
    # One row per person: a semi-join on memberships, not ``.distinct()`` over the selected
    # columns (which, with ``Person.Meta.ordering``, would merge two people who share a name
    # and attributes). ``order_by()`` drops the ordering this read does not need.
    member_ids = Membership.objects.filter(network__in=networks.values("pk"), status=S.MEMBER).values("person_id")
    people = (
        Person.objects.filter(pk__in=member_ids)
        .order_by()
        .values_list("category", "ethnicity", "year_of_birth", "commune_id", "is_young_potential_leader", "age_band")
    )
    rows = list(people)
    category = Counter(r[0] for r in rows)
    ethnicity = Counter(r[1] for r in rows if r[1])
    year = timezone.localdate().year
    bands: Counter[str] = Counter()
    for r in rows:
        if not r[2]:
            # An anonymised record keeps her age band as a category (no birth year).
            bands[r[5] or "unknown"] += 1
            continue
        age = year - r[2]
        for label, low, high in AGE_BANDS:
            if (low is None or age >= low) and (high is None or age <= high):
                bands[label] += 1
                break
    from networks.models import Commune

    communes_total = Commune.objects.filter(province__networks__in=networks.values("pk")).distinct().count()
    kinh = ethnicity.get(MAJORITY_ETHNICITY, 0)
    known = sum(ethnicity.values())
    by_age = [(label, bands.get(label, 0)) for label, _, _ in AGE_BANDS]
    if bands.get("unknown"):
        by_age.append(("unknown", bands["unknown"]))
    unknown = len(rows) - known
    categories = shown_cells({**{c.value: category.get(c.value, 0) for c in Category}, "": category.get("", 0)})
    fine = shown_cells({**dict(ethnicity), "": unknown})
    coarse = shown_cells({"kinh": kinh, "minority": known - kinh, "unknown": unknown})
    bands_shown = shown_cells(dict(by_age))
    return {
        "total": len(rows),
        "by_category": [(c.value, c.label, categories[c.value]) for c in Category],
        "kinh": coarse["kinh"],
        "ethnic_minority": coarse["minority"],
        "ethnicity_unknown": coarse["unknown"],
        "ethnicity_known": known,
        "by_ethnicity": [
            (name, fine[name]) for name, _n in sorted(ethnicity.items(), key=lambda item: (-item[1], item[0]))
        ],
        "by_age_band": [(label, bands_shown[label]) for label, _n in by_age],
        "young_potential_leaders": shown_count(sum(1 for r in rows if r[4])),
        "communes_covered": len({r[3] for r in rows if r[3]}),
        "communes_in_provinces": communes_total,
    }


# --- her data (the "Download all my data" of her profile) ------------------------------------


@dataclass
class DataSection:
    """One part of her data: a title, column headings and rows of shown values."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _when(value: Any) -> str:
    """A date or time as shown in the active language's format ("" when empty)."""
    from django.utils import formats

    if not value:
        return ""
    if hasattr(value, "hour"):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _label(model: Any, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def person_data_sections(person: Person) -> list[DataSection]:
    """Everything the portal holds about ``person`` for her own download, in the active
    language: headings and values as she reads them on the pages (labels, not codes).
    Profile, lawful basis and consents (with withdrawals), memberships with their steps,
    board seats, event invitations, attendance and her survey answers."""
    from events.models import Attendance
    from events.models import Invitation as EventInvitation
    from members.models import ConsentWithdrawal
    from networks.models import BoardSeat
    from surveys.models import Answer

    yes, no = gettext("yes"), gettext("no")
    profile_fields = [
        "full_name",
        "year_of_birth",
        "ethnicity",
        "phone",
        "email",
        "organisation",
        "position",
        "category",
        "commune",
        "province",
        "is_young_potential_leader",
        "basis",
        "basis_source",
        "basis_recorded_at",
        "sensitive_consent_at",
        "consent_withdrawn_at",
        "removal_requested_at",
        "removal_reason",
    ]
    profile_rows = []
    for name in profile_fields:
        value: Any = getattr(person, name)
        if name in ("category", "basis"):
            value = getattr(person, f"get_{name}_display")() if value else ""
        elif name == "is_young_potential_leader":
            value = yes if value else no
        elif name.endswith("_at"):
            value = _when(value)
        elif value is None:
            value = ""
        profile_rows.append([_label(Person, name), str(value)])
    sections = [DataSection("profile", gettext("Profile"), [gettext("Field"), gettext("Value")], profile_rows)]

    consent_rows = [
        [
            _when(c.given_at),
            gettext("Consent given"),
            c.get_source_display(),
            c.text_version,
            yes if c.covers_sensitive else no,
            c.purpose,
        ]
        for c in Consent.objects.filter(person=person).order_by("given_at", "pk")
    ]
    consent_rows += [
        [_when(w.withdrawn_at), gettext("Consent withdrawn"), w.get_channel_display(), "", "", w.reason]
        for w in ConsentWithdrawal.objects.filter(person=person).order_by("withdrawn_at", "pk")
    ]
    sections.append(
        DataSection(
            "consents",
            gettext("Consents"),
            [
                gettext("When"),
                gettext("What"),
                _label(Consent, "source"),
                _label(Consent, "text_version"),
                _label(Consent, "covers_sensitive"),
                gettext("Text"),
            ],
            sorted(consent_rows, key=lambda r: r[0]),
        )
    )

    memberships = person.memberships.select_related("network").prefetch_related("steps")
    sections.append(
        DataSection(
            "memberships",
            gettext("Memberships"),
            [
                _label(Membership, "network"),
                _label(Membership, "status"),
                _label(Membership, "joined_on"),
                gettext("Steps"),
            ],
            [
                [
                    m.network.name,
                    m.get_status_display(),
                    _when(m.joined_on),
                    "; ".join(f"{_when(s.acted_at)}: {s.get_to_status_display()}" for s in m.steps.all()),
                ]
                for m in memberships
            ],
        )
    )
    seats = BoardSeat.objects.filter(person=person).select_related("term__network")
    sections.append(
        DataSection(
            "board_seats",
            gettext("Board seats"),
            [_label(Membership, "network"), _label(BoardSeat, "role"), gettext("From"), _label(BoardSeat, "tasks")],
            [[s.term.network.name, s.get_role_display(), _when(s.term.starts_on), s.tasks] for s in seats],
        )
    )
    invitations = EventInvitation.objects.filter(person=person).select_related("event").order_by("event__starts_at")
    sections.append(
        DataSection(
            "invitations",
            gettext("Event invitations"),
            [
                _label(EventInvitation, "event"),
                gettext("Date"),
                _label(EventInvitation, "status"),
                _label(EventInvitation, "invited_at"),
                _label(EventInvitation, "responded_at"),
            ],
            [
                [
                    i.event.title,
                    _when(i.event.starts_at),
                    i.get_status_display(),
                    _when(i.invited_at),
                    _when(i.responded_at),
                ]
                for i in invitations
            ],
        )
    )
    attendances = Attendance.objects.filter(person=person).select_related("event").order_by("checked_in_at")
    sections.append(
        DataSection(
            "attendance",
            gettext("Attendance"),
            [
                _label(Attendance, "event"),
                gettext("Date"),
                _label(Attendance, "checked_in_at"),
                _label(Attendance, "method"),
            ],
            [
                [a.event.title, _when(a.event.starts_at), _when(a.checked_in_at), a.get_method_display()]
                for a in attendances
            ],
        )
    )
    answers = (
        Answer.objects.filter(response__person=person)
        .select_related("response__deployment__template", "response__deployment__event", "question", "option")
        .order_by("response__submitted_at", "response_id", "question__order", "question_id", "pk")
    )
    answer_rows = []
    for answer in answers:
        response = answer.response
        shown = answer.option.text if answer.option_id else ""
        if answer.text:
            shown = f"{shown}: {answer.text}" if shown else answer.text
        if answer.number is not None:
            shown = formats_number(answer.number)
        answer_rows.append(
            [
                response.deployment.display_title,
                response.get_status_display(),
                _when(response.submitted_at),
                answer.question.text,
                shown,
            ]
        )
    sections.append(
        DataSection(
            "survey_answers",
            gettext("Survey answers"),
            [gettext("Survey"), gettext("Status"), gettext("Submitted at"), gettext("Question"), gettext("Answer")],
            answer_rows,
        )
    )
    return sections


def formats_number(value: Any) -> str:
    """A number as written in the active language ("3,5" in Vietnamese)."""
    from django.utils import formats

    number = float(value)
    return formats.number_format(int(number) if number.is_integer() else number, use_l10n=True)
