"""Actuals of a results framework's indicators, per province, for a report's period.

Each catalogue key (``networks.indicators.IndicatorSource``) maps to a function that
computes the figure per province from a :class:`reports.figures.Period` (delivered
events, memberships in force at the period end, nothing after the cut-off). Manual
indicators take the latest value entered by hand (with its evidence file) dated in the
period and entered by the cut-off. The results page and the report print the same rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from events.models import Attendance, Event, MediaCoverage
from members.models import MAJORITY_ETHNICITY, Membership, MembershipStep
from networks.indicators import IndicatorSource as S
from networks.models import BoardTerm, DonorAgreement, Indicator, IndicatorActual, Network, Result, ResultLevel
from portal.privacy import shown_count
from reports.figures import Period, text
from surveys.models import Deployment, SurveyTemplate
from surveys.models import Response as SurveyResponse

PerProvince = dict[int, Decimal]
# Key of a share's value over all provinces (shares are not summed, see AVERAGED).
OVERALL = 0


def _province_of(period: Period) -> dict[int, int]:
    return period.province_of()


def _events_held(period: Period, kinds: set[str] | None) -> PerProvince:
    province = _province_of(period)
    result: PerProvince = defaultdict(Decimal)
    for event in period.delivered:
        if kinds is None or event.kind in kinds:
            for p in {province[n] for n in period.networks_of[event.pk]}:
                result[p] += 1
    return result


def _trained(period: Period, extra: Q | None = None) -> PerProvince:
    trainings = [e.pk for e in period.delivered if e.kind == Event.Kind.TRAINING]
    rows = Attendance.objects.filter(event_id__in=trainings, checked_in_at__lte=period.window.cutoff)
    if extra is not None:
        rows = rows.filter(extra)
    result: PerProvince = defaultdict(Decimal)
    for province_id, n in (
        rows.order_by()
        .values("person__province_id")
        .annotate(n=Count("person", distinct=True))
        .values_list("person__province_id", "n")
    ):
        result[province_id] = Decimal(n)
    return result


def _improved_share(period: Period) -> PerProvince:
    province = _province_of(period)
    improved: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    with_both = set(
        Deployment.objects.filter(event_id__in=period.delivered_ids, phase=Deployment.Phase.POST).values_list(
            "event_id", flat=True
        )
    ) & set(
        Deployment.objects.filter(event_id__in=period.delivered_ids, phase=Deployment.Phase.PRE).values_list(
            "event_id", flat=True
        )
    )
    for event in period.delivered:
        if event.pk not in with_both:
            continue
        analysis = period.prepost(event)
        knowledge = analysis["measures"][0] if analysis["measures"] else None
        if not knowledge or not knowledge.pairs or knowledge.improved_share is None:
            continue
        for p in {province[n] for n in period.networks_of[event.pk]}:
            improved[p][0] += round(knowledge.improved_share * knowledge.pairs / 100)
            improved[p][1] += knowledge.pairs
    result = {p: Decimal(str(round(100 * a / b, 1))) for p, (a, b) in improved.items() if b}
    pairs = sum(b for _a, b in improved.values())
    if pairs:
        result[OVERALL] = Decimal(str(round(100 * sum(a for a, _b in improved.values()) / pairs, 1)))
    return result


def _members(period: Period) -> PerProvince:
    rows = period.members().order_by().values("network__province_id").annotate(n=Count("person", distinct=True))
    return {r["network__province_id"]: Decimal(r["n"]) for r in rows}


def _admitted(period: Period) -> PerProvince:
    w = period.window
    rows = (
        MembershipStep.objects.filter(
            membership__network_id__in=period.network_ids,
            to_status=Membership.Status.MEMBER,
            acted_at__gte=w.since,
            acted_at__lte=w.as_of,
        )
        .order_by()
        .values("membership__network__province_id")
        .annotate(n=Count("membership", distinct=True))
    )
    return {r["membership__network__province_id"]: Decimal(r["n"]) for r in rows}


def _charter_and_board(period: Period) -> PerProvince:
    on = period.window.as_of_date
    with_board = set(
        BoardTerm.objects.filter(network_id__in=period.network_ids, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .values_list("network_id", flat=True)
    )
    result: PerProvince = defaultdict(Decimal)
    for pk, province_id, charter in Network.objects.filter(pk__in=period.network_ids).values_list(
        "pk", "province_id", "charter_file"
    ):
        if charter and pk in with_board:
            result[province_id] += 1
    return result


def _media(period: Period) -> PerProvince:
    province = _province_of(period)
    result: PerProvince = defaultdict(Decimal)
    rows = MediaCoverage.objects.filter(
        event_id__in=period.delivered_ids, created_at__lte=period.window.cutoff
    ).values_list("event_id", flat=True)
    for event_id in rows:
        for p in {province[n] for n in period.networks_of[event_id]}:
            result[p] += 1
    return result


def _needs_responses(period: Period) -> PerProvince:
    w = period.window
    rows = (
        SurveyResponse.objects.filter(
            deployment__template__kind=SurveyTemplate.Kind.NEEDS,
            deployment__opens_at__gte=w.since,
            deployment__opens_at__lte=w.until,
            network_id__in=period.network_ids,
            status=SurveyResponse.Status.SUBMITTED,
            submitted_at__lte=w.cutoff,
        )
        .order_by()
        .values("network__province_id")
        .annotate(n=Count("pk"))
    )
    return {r["network__province_id"]: Decimal(r["n"]) for r in rows}


CATALOGUE: dict[str, Callable[[Period], PerProvince]] = {
    S.TRAININGS_HELD: lambda p: _events_held(p, {Event.Kind.TRAINING}),
    S.WORKSHOPS_HELD: lambda p: _events_held(p, {Event.Kind.THEMATIC_WORKSHOP}),
    S.EVENTS_HELD: lambda p: _events_held(p, None),
    S.PEOPLE_TRAINED: lambda p: _trained(p),
    S.PEOPLE_TRAINED_ETHNIC_MINORITY: lambda p: _trained(
        p, ~Q(person__ethnicity="") & ~Q(person__ethnicity=MAJORITY_ETHNICITY)
    ),
    S.PEOPLE_TRAINED_YOUNG: lambda p: _trained(p, Q(person__is_young_potential_leader=True)),
    S.IMPROVED_SHARE: _improved_share,
    S.MEMBERS: _members,
    S.MEMBERS_ADMITTED: _admitted,
    S.NETWORKS_WITH_CHARTER_AND_BOARD: _charter_and_board,
    S.MEDIA_ITEMS: _media,
    S.NEEDS_RESPONSES: _needs_responses,
}
# Shares are not summed over provinces: the total is recomputed over all pairs.
AVERAGED = {S.IMPROVED_SHARE}
# Counts of people: the small-group rule applies to them (portal.privacy).
PEOPLE = {
    S.PEOPLE_TRAINED,
    S.PEOPLE_TRAINED_ETHNIC_MINORITY,
    S.PEOPLE_TRAINED_YOUNG,
    S.MEMBERS,
    S.MEMBERS_ADMITTED,
    S.NEEDS_RESPONSES,
}


def _shown(source: str, value: Decimal | None) -> Decimal | str | None:
    """An actual as printed: a count of people under the limit shows as "<5"."""
    if source in PEOPLE and value is not None:
        return shown_count(int(value))
    return value


def _manual(indicator: Indicator, period: Period) -> tuple[PerProvince, Decimal | None, list[str]]:
    """Latest hand-entered value per province (and overall) dated in the period and
    entered by the cut-off, with the evidence files' names."""
    w = period.window
    rows = IndicatorActual.objects.filter(
        indicator=indicator, as_of__gte=w.start, as_of__lte=w.end, entered_at__lte=w.cutoff
    ).order_by("as_of", "entered_at", "pk")
    per_province: PerProvince = {}
    overall = None
    evidence = []
    for row in rows:
        if row.province_id:
            per_province[row.province_id] = row.value
        else:
            overall = row.value
        if row.evidence:
            evidence.append(row.evidence.name.rsplit("/", 1)[-1])
    return per_province, overall, evidence


def status_of(actual: Decimal | None, target: Decimal | None) -> tuple[str, str]:
    """(code, label): achieved when the actual reaches the target, on track from half of it."""
    if target is None or actual is None:
        return "no_data", _("No data")
    if actual >= target:
        return "achieved", _("Achieved")
    if target and actual >= target / 2:
        return "on_track", _("On track")
    return "behind", _("Behind")


def results_framework(
    agreement: DonorAgreement, period: Period, *, network_provinces_only: bool = False
) -> list[dict[str, Any]]:
    """The agreement's outcomes, their outputs and each indicator with baseline, target,
    unit, actual and status overall and per province (provinces of the report's networks,
    and those with a target unless ``network_provinces_only``, for provincial staff)."""
    results = list(Result.objects.filter(agreement=agreement).order_by("code"))
    indicators = list(
        Indicator.objects.filter(result__agreement=agreement)
        .prefetch_related("province_targets__province")
        .order_by("code")
    )
    provinces = dict(
        Network.objects.filter(pk__in=period.network_ids)
        .values_list("province_id", "province__name")
        .order_by("province__name")
    )
    computed: dict[str, PerProvince] = {}
    by_result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for indicator in indicators:
        evidence: list[str] = []
        overall_manual = None
        if indicator.source == S.MANUAL:
            actuals, overall_manual, evidence = _manual(indicator, period)
        else:
            if indicator.source not in computed:
                computed[indicator.source] = CATALOGUE[indicator.source](period)
            actuals = computed[indicator.source]
        targets = {t.province_id: t.target for t in indicator.province_targets.all()}
        rows = []
        with_targets = (
            {} if network_provinces_only else {t.province_id: t.province.name for t in indicator.province_targets.all()}
        )
        for province_id, name in sorted({**provinces, **with_targets}.items(), key=lambda item: item[1]):
            target = targets.get(province_id)
            counted = indicator.source not in AVERAGED and indicator.source != S.MANUAL
            actual = actuals.get(province_id, Decimal(0) if counted else None)
            code, label = status_of(actual, target)
            rows.append(
                {
                    "province": name,
                    "target": target,
                    "actual": _shown(indicator.source, actual),
                    "status": code,
                    "status_label": label,
                }
            )
        if indicator.source == S.MANUAL:
            total = overall_manual if overall_manual is not None else (sum(actuals.values()) if actuals else None)
        elif indicator.source in AVERAGED:
            total = actuals.get(OVERALL)
        else:
            total = sum((actuals.get(p, Decimal(0)) for p in provinces), Decimal(0))
        code, label = status_of(total, indicator.target)
        by_result[indicator.result_id].append(
            {
                "code": indicator.code,
                "name": text(indicator.name_vi, indicator.name_en),
                "unit": text(indicator.unit_vi, indicator.unit_en)["text"],
                "baseline": indicator.baseline,
                "target": indicator.target,
                "actual": _shown(indicator.source, total),
                "status": code,
                "status_label": label,
                "source": indicator.get_source_display(),
                "evidence": evidence,
                "provinces": rows,
            }
        )
    outcomes = []
    for result in results:
        if result.level != ResultLevel.OUTCOME:
            continue
        outputs = [r for r in results if r.parent_id == result.pk]
        outcomes.append(
            {
                "code": result.code,
                "statement": text(result.statement_vi, result.statement_en),
                "indicators": by_result[result.pk],
                "outputs": [
                    {"code": o.code, "statement": text(o.statement_vi, o.statement_en), "indicators": by_result[o.pk]}
                    for o in outputs
                ],
            }
        )
    return outcomes


def kind_targets(agreement: DonorAgreement | None) -> dict[tuple[int, str], Decimal]:
    """Per-province targets of the indicators that count events of one kind, for the
    planned-versus-delivered table: {(province id, event kind): target}."""
    if agreement is None:
        return {}
    kinds = {S.TRAININGS_HELD: Event.Kind.TRAINING, S.WORKSHOPS_HELD: Event.Kind.THEMATIC_WORKSHOP}
    result: dict[tuple[int, str], Decimal] = {}
    for indicator in Indicator.objects.filter(result__agreement=agreement, source__in=list(kinds)).prefetch_related(
        "province_targets"
    ):
        for t in indicator.province_targets.all():
            result[(t.province_id, kinds[indicator.source])] = t.target
    return result
