"""Reads for people and memberships, always scoped through ``visible_to``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from members.models import MAJORITY_ETHNICITY, Category, Membership, Person, search_key
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
        .values_list("category", "ethnicity", "year_of_birth", "commune_id", "is_young_potential_leader")
    )
    rows = list(people)
    category = Counter(r[0] for r in rows)
    ethnicity = Counter(r[1] for r in rows if r[1])
    year = timezone.localdate().year
    bands: Counter[str] = Counter()
    for r in rows:
        if not r[2]:
            bands["unknown"] += 1
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
