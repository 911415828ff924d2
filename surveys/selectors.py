"""Reads in the surveys app, already scoped. Every figure is aggregated in the database
(Count / Avg grouped by question and option); Python only arranges the grouped rows."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, F, Max, Min, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import get_language

from events.models import Event
from networks.models import Network, Province
from portal.access import may
from portal.caching import cached, make_key, scope_key
from portal.models import User
from portal.privacy import SMALL, WITHHELD, filter_allowed, is_small, suppressed_cells, visible_values
from surveys.aggregates import results_version
from surveys.models import (
    MIN_GROUP_SIZE,
    Answer,
    Deployment,
    Option,
    Question,
    Response,
    ResultCell,
    ResultGroup,
    SurveyTemplate,
)

TEXT_ANSWERS_SHOWN = 30
FILTER_FIELDS = ("province", "network", "category", "ethnicity")


# --- lists --------------------------------------------------------------------------------


def deployment_list_for(user: User) -> QuerySet[Deployment]:
    """Deployments the user may see, latest first (count their responses for the page
    shown with :func:`with_submitted_counts`)."""
    return (
        Deployment.objects.visible_to(user).select_related("template", "network", "event").order_by("-opens_at", "-pk")
    )


def with_submitted_counts(deployments: Iterable[Deployment], user: User) -> list[Deployment]:
    """``deployments`` with ``submitted``: the number of submitted responses the user may
    see. One grouped query over these deployments only (not over every response in the
    country, as an annotation on the whole list would)."""
    deployments = list(deployments)
    counts = dict(
        Response.objects.visible_to(user)
        .filter(status=Response.Status.SUBMITTED, deployment_id__in=[d.pk for d in deployments])
        .order_by()
        .values("deployment_id")
        .annotate(n=Count("pk"))
        .values_list("deployment_id", "n")
    )
    for deployment in deployments:
        deployment.submitted = counts.get(deployment.pk, 0)
    return deployments


def open_deployments_for_member(user: User) -> list[tuple[Deployment, Response | None]]:
    """Open surveys that reach the member's networks, each with her own response (or None)."""
    now = timezone.now()
    person = getattr(user, "person", None)
    deployments = list(
        Deployment.objects.visible_to(user)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("template", "network", "event")
    )
    if person is None:
        return [(d, None) for d in deployments]
    from surveys.services import _respondent_key

    keys = {_respondent_key(d, person): d.pk for d in deployments}
    mine = {
        r.deployment_id: r for r in Response.objects.filter(respondent_key__in=list(keys), deployment__in=deployments)
    }
    return [(d, mine.get(d.pk)) for d in deployments]


def template_questions(template: SurveyTemplate) -> list[Question]:
    """A template's questions in order, with their section and options (two queries)."""
    return list(
        template.questions.select_related("section", "show_if_option").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("order", "pk"))
        )
    )


# --- results of one deployment ----------------------------------------------------------


@dataclass
class OptionResult:
    option: Option
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: Question
    respondents: int = 0
    options: list[OptionResult] = field(default_factory=list)
    other_count: int = 0
    mean: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    texts: list[str] = field(default_factory=list)
    correct_percent: float | None = None
    chart: str = ""


@dataclass
class Results:
    respondents: int | str
    hidden: bool
    questions: list[QuestionResult]
    min_group_size: int = MIN_GROUP_SIZE


def _clean_filters(filters: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if k in FILTER_FIELDS and v not in (None, "")}


def _filter_cube(base: QuerySet[Response] | QuerySet[ResultGroup]) -> list[tuple[dict[str, str], int]]:
    """Respondents per combination of the filter dimensions (one grouped query over the
    responses, or over the maintained aggregate groups), the values as strings so they
    compare with the values a filter form gives."""
    fields = [f"{name}_id" if name in ("province", "network") else name for name in FILTER_FIELDS]
    count = Sum("responses") if base.model is ResultGroup else Count("id")
    rows = base.order_by().values(*fields).annotate(n=count)
    return [
        ({name: str(row[field] or "") for name, field in zip(FILTER_FIELDS, fields, strict=True)}, row["n"])
        for row in rows
        if row["n"]
    ]


def results_allowed(*, base: QuerySet[Response], filters: dict[str, Any]) -> bool:
    """The small-group rule for survey results (``portal.privacy.filter_allowed``): the
    group has at least MIN_GROUP_SIZE respondents and neither it nor the difference with
    any wider view the same user can open describes fewer."""
    wanted = {k: str(v.pk if hasattr(v, "pk") else v) for k, v in _clean_filters(filters).items()}
    return filter_allowed(_filter_cube(base), wanted, min_size=MIN_GROUP_SIZE)


def survey_results(*, deployment: Deployment, user: User, filters: dict[str, Any] | None = None) -> Results:
    """Per-question counts, percentages, means and recent free-text answers of the
    submitted responses the user may see. A group smaller than MIN_GROUP_SIZE, filtered
    or not, shows no figure at all ("<5"), and so does a filter whose difference with
    the unfiltered (or a wider) view would describe a smaller group (``results_allowed``),
    so nobody can be singled out. Figures are sums of the maintained aggregates
    (``surveys.aggregates``), cached per aggregate version; the number of queries does
    not depend on the responses."""
    filters = _clean_filters(filters)
    version = results_version([deployment.pk])
    key = make_key("survey-results", deployment.pk, version, scope_key(user), sorted(filters.items()))
    return cached(key, lambda: _survey_results(deployment, user, filters))


def _survey_results(deployment: Deployment, user: User, filters: dict[str, Any]) -> Results:
    every_group = ResultGroup.objects.visible_to(user).filter(deployment=deployment)
    if not results_allowed(base=every_group, filters=filters):
        return Results(respondents=SMALL, hidden=True, questions=[])
    groups = every_group.filter(**filters)
    total = groups.aggregate(n=Sum("responses"))["n"] or 0
    questions = template_questions(deployment.template)
    per_question: dict[int, dict[str, Any]] = {}
    option_counts: dict[int, int] = {}
    cells = (
        ResultCell.objects.filter(group__in=groups.values("pk"))
        .order_by()
        .values("question_id", "option_id")
        .annotate(
            n=Sum("count"),
            other=Sum("other"),
            total=Sum("number_sum"),
            numbers=Sum("number_count"),
            lo=Min("number_min"),
            hi=Max("number_max"),
        )
    )
    for row in cells:
        if row["option_id"] is None:
            per_question[row["question_id"]] = row
        else:
            option_counts[row["option_id"]] = row["n"] or 0
    texts: dict[int, list[str]] = defaultdict(list)
    answers = Answer.objects.visible_to(user).filter(
        response__deployment=deployment,
        response__status=Response.Status.SUBMITTED,
        **{f"response__{k}": v for k, v in filters.items()},
    )
    text_rows = (
        answers.filter(question__kind__in=Question.TEXT_KINDS | Question.CHOICE_KINDS)
        .exclude(text="")
        .annotate(rank=Window(RowNumber(), partition_by=[F("question_id")], order_by=F("id").desc()))
        .filter(rank__lte=TEXT_ANSWERS_SHOWN)
        .values_list("question_id", "text")
    )
    for qid, text in text_rows:
        texts[qid].append(text)
    results = []
    for question in questions:
        row = per_question.get(question.pk, {})
        n = row.get("n") or 0
        result = QuestionResult(question=question, respondents=n, texts=texts.get(question.pk, []))
        if question.kind in Question.CHOICE_KINDS:
            result.options = [
                OptionResult(option=o, count=option_counts.get(o.pk, 0), percent=_pct(option_counts.get(o.pk, 0), n))
                for o in question.options.all()
            ]
            result.other_count = row.get("other") or 0
            if question.is_knowledge:
                correct = sum(r.count for r in result.options if r.option.is_correct)
                result.correct_percent = _pct(correct, n)
        elif question.kind in Question.NUMERIC_KINDS:
            numbers = row.get("numbers") or 0
            result.mean = _float(row["total"] / numbers) if numbers else None
            result.minimum = _float(row.get("lo"))
            result.maximum = _float(row.get("hi"))
        results.append(result)
    return Results(respondents=total, hidden=False, questions=results)


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def result_filter_choices(*, deployment: Deployment, user: User) -> dict[str, list[tuple[str, str]]]:
    """The values the results filters offer: provinces, networks, categories and
    ethnicities among the submitted responses the user may see, only those whose group
    may be shown (``portal.privacy.visible_values``): the list never reveals that a
    group smaller than MIN_GROUP_SIZE exists. Read from the maintained aggregate groups."""
    from members.models import Category

    results_version([deployment.pk])
    cube = _filter_cube(ResultGroup.objects.visible_to(user).filter(deployment=deployment))
    offered: dict[str, set[str]] = {}
    for name in FILTER_FIELDS:
        counts: dict[str, int] = defaultdict(int)
        for key, n in cube:
            counts[key[name]] += n
        offered[name] = {v for v in visible_values(counts, min_size=MIN_GROUP_SIZE) if v}
    provinces = Province.objects.filter(pk__in=[int(v) for v in offered["province"]]).order_by("name")
    networks = Network.objects.filter(pk__in=[int(v) for v in offered["network"]]).order_by("name")
    categories, ethnicities = offered["category"], offered["ethnicity"]
    labels = dict(Category.choices)
    return {
        "province": [(str(p.pk), p.name) for p in provinces],
        "network": [(str(n.pk), n.name) for n in networks],
        "category": [(c, str(labels.get(c, c))) for c in sorted(categories)],
        "ethnicity": [(e, e) for e in sorted(ethnicities)],
    }


# --- needs across provinces ---------------------------------------------------------------


@dataclass
class ProvinceColumn:
    province: Province
    respondents: int | str
    hidden: bool


@dataclass
class ComparisonRow:
    question: Question
    cells: list[list[tuple[Option, float | None]]] | list[float | None]


def province_comparison(*, template: SurveyTemplate, user: User) -> dict[str, Any]:
    """Side by side per province, for every deployment of the template's family the user
    may see: for each choice question the share choosing each option, for each scale
    the mean. Provinces with fewer than MIN_GROUP_SIZE respondents are hidden.
    Questions are matched across versions by their code. Read from the maintained
    aggregates and cached per aggregate version."""
    deployment_ids = list(
        Deployment.objects.filter(template__family=template.family).order_by("pk").values_list("pk", flat=True)
    )
    version = results_version(deployment_ids)
    key = make_key("province-comparison", template.pk, version, scope_key(user))
    return cached(key, lambda: _province_comparison(template, user, deployment_ids))


def _province_comparison(template: SurveyTemplate, user: User, deployment_ids: list[int]) -> dict[str, Any]:
    groups = ResultGroup.objects.visible_to(user).filter(deployment_id__in=deployment_ids)
    counts = {
        row["province_id"]: row["n"]
        for row in groups.order_by().values("province_id").annotate(n=Sum("responses"))
        if row["n"]
    }
    provinces = Province.objects.filter(pk__in=list(counts)).order_by("name")
    hidden = suppressed_cells(counts, min_size=MIN_GROUP_SIZE)
    columns = [
        ProvinceColumn(
            p, (SMALL if is_small(counts[p.pk]) else WITHHELD) if p.pk in hidden else counts[p.pk], p.pk in hidden
        )
        for p in provinces
    ]
    cells = ResultCell.objects.filter(group__in=groups.values("pk")).order_by()
    chosen = {
        (r["group__province_id"], r["question__code"], r["option__code"]): r["n"]
        for r in cells.filter(option__isnull=False)
        .values("group__province_id", "question__code", "option__code")
        .annotate(n=Sum("count"))
    }
    answered = {
        (r["group__province_id"], r["question__code"]): {
            "n": r["n"] or 0,
            "mean": (r["total"] / r["numbers"]) if r["numbers"] else None,
        }
        for r in cells.filter(option__isnull=True)
        .values("group__province_id", "question__code")
        .annotate(n=Sum("count"), total=Sum("number_sum"), numbers=Sum("number_count"))
    }
    rows = []
    for question in template_questions(template):
        if question.kind in Question.CHOICE_KINDS:
            options = []
            for option in question.options.all():
                cells_row = []
                for col in columns:
                    base = answered.get((col.province.pk, question.code), {}).get("n", 0)
                    n = chosen.get((col.province.pk, question.code, option.code), 0)
                    cells_row.append(None if col.hidden else _pct(n, base))
                options.append((option, cells_row))
            rows.append({"question": question, "options": options})
        elif question.kind in Question.NUMERIC_KINDS:
            means = [
                None if col.hidden else _float(answered.get((col.province.pk, question.code), {}).get("mean"))
                for col in columns
            ]
            rows.append({"question": question, "means": means})
    return {"columns": columns, "rows": rows, "min_group_size": MIN_GROUP_SIZE}


# --- from needs to plan -----------------------------------------------------------------


def top_needs_for_network(network: Network, limit: int = 5) -> dict[str, Any] | None:
    """The options members chose most, in the latest needs survey that reached
    ``network`` and has answers, over the questions flagged ``is_top_need`` (knowledge
    and skills wanted, support wanted). The caller fetched ``network`` through the
    scope. Returns None when no needs survey has answers yet. When the network's
    respondents are a group that must be withheld (fewer than MIN_GROUP_SIZE, or the
    complement of a small group among the survey's networks) ``hidden`` is True,
    ``respondents`` is "<5" and no need is listed."""
    deployment = (
        Deployment.objects.filter(
            networks=network,
            template__kind=SurveyTemplate.Kind.NEEDS,
            responses__status=Response.Status.SUBMITTED,
        )
        .select_related("template")
        .order_by("-opens_at")
        .first()
    )
    if deployment is None:
        return None
    results_version([deployment.pk])
    per_network: dict[int | None, int] = defaultdict(int)
    for network_id, n in ResultGroup.objects.filter(deployment=deployment).values_list("network_id", "responses"):
        per_network[network_id] += n
    per_network = {k: v for k, v in per_network.items() if v}
    respondents = per_network.get(network.pk, 0)
    if network.pk in suppressed_cells(per_network, min_size=MIN_GROUP_SIZE):
        shown = SMALL if is_small(respondents, MIN_GROUP_SIZE) else WITHHELD
        return {"deployment": deployment, "respondents": shown, "needs": [], "hidden": True}
    groups = ResultGroup.objects.filter(deployment=deployment, network=network)
    english = (get_language() or "vi").startswith("en")
    rows = (
        ResultCell.objects.filter(group__in=groups.values("pk"), question__is_top_need=True, option__isnull=False)
        .values("option__text_vi", "option__text_en")
        .annotate(n=Sum("count"))
        .order_by("-n", "option__text_vi")[:limit]
    )
    needs = [
        {
            "text": (r["option__text_en"] if english and r["option__text_en"] else r["option__text_vi"]),
            "count": r["n"],
            "percent": _pct(r["n"], respondents),
        }
        for r in rows
    ]
    return {"deployment": deployment, "respondents": respondents, "needs": needs, "hidden": False}


def top_needs_for_networks(networks: Iterable[Network], limit: int = 5) -> dict[int, dict[str, Any] | None]:
    """:func:`top_needs_for_network` for many networks in a fixed number of queries (four,
    whatever the number of networks): network id -> the same dict, or None."""
    network_ids = [n.pk for n in networks]
    if not network_ids:
        return {}
    # 1. The latest answered needs deployment that reached each network.
    reached = (
        Deployment.objects.filter(
            networks__in=network_ids,
            template__kind=SurveyTemplate.Kind.NEEDS,
            responses__status=Response.Status.SUBMITTED,
        )
        .values_list("networks__id", "pk", "opens_at")
        .distinct()
    )
    latest: dict[int, tuple] = {}
    for network_id, deployment_id, opens_at in reached:
        if network_id not in latest or (opens_at, deployment_id) > latest[network_id]:
            latest[network_id] = (opens_at, deployment_id)
    chosen = {network_id: deployment_id for network_id, (_opens, deployment_id) in latest.items()}
    result: dict[int, dict[str, Any] | None] = dict.fromkeys(network_ids)
    if not chosen:
        return result
    # 2. Those deployments with their templates.
    deployments = Deployment.objects.select_related("template").in_bulk(set(chosen.values()))
    # 3. Respondents per network of each deployment (all its networks: a small group and
    # its complement are withheld, as in the one-network selector).
    per_deployment: dict[int, dict[int, int]] = defaultdict(dict)
    counts = (
        Response.objects.filter(deployment_id__in=set(chosen.values()), status=Response.Status.SUBMITTED)
        .order_by()
        .values_list("deployment_id", "network_id")
        .annotate(n=Count("id"))
    )
    for deployment_id, network_id, n in counts:
        per_deployment[deployment_id][network_id] = n
    submitted = Response.objects.filter(
        deployment_id__in=set(chosen.values()), network_id__in=list(chosen), status=Response.Status.SUBMITTED
    )
    # 4. Option counts per (deployment, network).
    english = (get_language() or "vi").startswith("en")
    counted: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Answer.objects.filter(response__in=submitted, question__is_top_need=True, option__isnull=False)
        .values("response__deployment_id", "response__network_id", "option__text_vi", "option__text_en")
        .annotate(n=Count("id"))
    )
    for r in rows:
        counted[(r["response__deployment_id"], r["response__network_id"])].append(r)
    for network_id, deployment_id in chosen.items():
        per_network = per_deployment[deployment_id]
        total = per_network.get(network_id, 0)
        if network_id in suppressed_cells(per_network, min_size=MIN_GROUP_SIZE):
            shown = SMALL if is_small(total, MIN_GROUP_SIZE) else WITHHELD
            result[network_id] = {
                "deployment": deployments[deployment_id],
                "respondents": shown,
                "needs": [],
                "hidden": True,
            }
            continue
        best = sorted(counted[(deployment_id, network_id)], key=lambda r: (-r["n"], r["option__text_vi"]))[:limit]
        needs = [
            {
                "text": (r["option__text_en"] if english and r["option__text_en"] else r["option__text_vi"]),
                "count": r["n"],
                "percent": _pct(r["n"], total),
            }
            for r in best
        ]
        result[network_id] = {
            "deployment": deployments[deployment_id],
            "respondents": total,
            "needs": needs,
            "hidden": False,
        }
    return result


# --- pre/post analysis --------------------------------------------------------------------


@dataclass
class PairedResult:
    label: str
    pairs: int
    mean_before: float | None = None
    mean_after: float | None = None
    change: float | None = None
    improved_share: float | None = None
    statistic: float | None = None
    p_value: float | None = None
    method: str = ""


def paired_test(label: str, before: list[float], after: list[float]) -> PairedResult:
    """Means before and after, mean change, share who improved and the Wilcoxon
    signed-rank test (two-sided; zero differences dropped; the exact distribution when
    there are no ties or zeros and at most 50 pairs, the normal approximation otherwise)."""
    from scipy.stats import wilcoxon

    n = len(before)
    result = PairedResult(label=label, pairs=n)
    if n == 0:
        return result
    diffs = [a - b for a, b in zip(after, before, strict=True)]
    result.mean_before = round(sum(before) / n, 3)
    result.mean_after = round(sum(after) / n, 3)
    result.change = round(sum(diffs) / n, 3)
    result.improved_share = round(100.0 * sum(1 for d in diffs if d > 0) / n, 1)
    nonzero = [abs(d) for d in diffs if d != 0]
    if not nonzero:
        return result
    exact = len(nonzero) == n and len(set(nonzero)) == n and n <= 50
    result.method = "exact" if exact else "approx"
    test = wilcoxon(after, before, zero_method="wilcox", correction=False, method=result.method)
    result.statistic = float(test.statistic)
    result.p_value = float(test.pvalue) if not math.isnan(test.pvalue) else None
    return result


def training_deployments(event: Event) -> tuple[Deployment | None, Deployment | None]:
    """The latest pre and post training survey of ``event``."""
    found = {d.phase: d for d in event.survey_deployments.order_by("opens_at").select_related("template")}
    return found.get(Deployment.Phase.PRE), found.get(Deployment.Phase.POST)


def prepost_analysis(*, event: Event, user: User, submitted_by: datetime | None = None) -> dict[str, Any]:
    """Matched pairs of one training: the same person's pre and post responses. For the
    knowledge score (number of knowledge questions answered right), the self-confidence
    index (mean of the confidence items) and each confidence item: the means before and
    after, the change, the share who improved and the Wilcoxon signed-rank test.
    With ``submitted_by`` (a report's data cut-off) only responses submitted by then count."""
    return prepost_analyses(events=[event], user=user, submitted_by=submitted_by)[event.pk]


# Trainings analysed together: a fixed number of queries per batch, and a bounded number
# of answers in memory (a national report has hundreds of trainings).
PREPOST_BATCH = 50


def prepost_analyses(
    *, events: Iterable[Event], user: User, submitted_by: datetime | None = None
) -> dict[int, dict[str, Any]]:
    """:func:`prepost_analysis` of many trainings: event id -> the same dict, in four
    queries per :data:`PREPOST_BATCH` trainings whatever their number."""
    events = list(events)
    result: dict[int, dict[str, Any]] = {}
    for start in range(0, len(events), PREPOST_BATCH):
        result.update(_prepost_batch([e.pk for e in events[start : start + PREPOST_BATCH]], user, submitted_by))
    return result


def _prepost_batch(event_ids: list[int], user: User, submitted_by: datetime | None) -> dict[int, dict[str, Any]]:
    from django.utils.translation import gettext as _

    # 1. The latest pre and post survey of each training (as ``training_deployments``).
    found: dict[int, dict[str, Deployment]] = defaultdict(dict)
    for deployment in (
        Deployment.objects.filter(event_id__in=event_ids).order_by("opens_at", "pk").select_related("template")
    ):
        found[deployment.event_id][deployment.phase] = deployment
    pairs_of = {
        event_id: (phases.get(Deployment.Phase.PRE), phases.get(Deployment.Phase.POST))
        for event_id, phases in found.items()
    }
    result: dict[int, dict[str, Any]] = {}
    complete: dict[int, tuple[Deployment, Deployment]] = {}
    for event_id in event_ids:
        pre, post = pairs_of.get(event_id, (None, None))
        if pre and post:
            complete[event_id] = (pre, post)
        else:
            result[event_id] = {"pre": pre, "post": post, "measures": []}
    if not complete:
        return result
    deployment_ids = [d.pk for pair in complete.values() for d in pair]
    # 2. Each respondent's knowledge score and confidence index, per deployment.
    # Pairs match by respondent key: "person:<id>" for an identified respondent, and the
    # random key an anonymised person's pre and post responses share (members.services).
    paired = Q(person__isnull=False) | Q(respondent_key__startswith="anonymised:")
    rows = (
        Response.objects.visible_to(user)
        .filter(paired, deployment_id__in=deployment_ids, status=Response.Status.SUBMITTED)
        .filter(**({"submitted_at__lte": submitted_by} if submitted_by else {}))
        .annotate(
            knowledge=Count(
                "answers", filter=Q(answers__question__is_knowledge=True, answers__option__is_correct=True)
            ),
            confidence=Avg("answers__number", filter=Q(answers__question__is_confidence=True)),
        )
        .values("pk", "deployment_id", "respondent_key", "knowledge", "confidence")
    )
    per_person: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        per_person[row["deployment_id"]][row["respondent_key"]] = row
    # In the order of the pre responses, which anonymisation does not change.
    matched_of = {
        event_id: sorted(set(per_person[pre.pk]) & set(per_person[post.pk]), key=lambda k: per_person[pre.pk][k]["pk"])
        for event_id, (pre, post) in complete.items()
    }
    # 3. The confidence items of the matched people.
    items: dict[tuple[int, str, str], float] = {}
    everyone = sorted({p for matched in matched_of.values() for p in matched})
    item_rows = Answer.objects.filter(
        response__deployment_id__in=deployment_ids,
        response__status=Response.Status.SUBMITTED,
        response__respondent_key__in=everyone,
        question__is_confidence=True,
        number__isnull=False,
    ).values_list("response__deployment_id", "response__respondent_key", "question__code", "number")
    for deployment_id, key, code, number in item_rows:
        items[(deployment_id, code, key)] = float(number)
    # 4. The confidence questions of each pre survey's template.
    questions: dict[int, list[Question]] = defaultdict(list)
    for question in Question.objects.filter(
        template_id__in={pre.template_id for pre, _post in complete.values()}, is_confidence=True
    ).order_by("order", "pk"):
        questions[question.template_id].append(question)
    for event_id, (pre, post) in complete.items():
        before, after, matched = per_person[pre.pk], per_person[post.pk], matched_of[event_id]
        measures = [
            paired_test(
                _("Knowledge score (correct answers)"),
                [float(before[p]["knowledge"]) for p in matched],
                [float(after[p]["knowledge"]) for p in matched],
            ),
        ]
        with_confidence = [
            p for p in matched if before[p]["confidence"] is not None and after[p]["confidence"] is not None
        ]
        measures.append(
            paired_test(
                _("Self-confidence index (mean of the items)"),
                [float(before[p]["confidence"]) for p in with_confidence],
                [float(after[p]["confidence"]) for p in with_confidence],
            )
        )
        pre_pk, post_pk = pre.pk, post.pk  # not Model.pk once per answer
        for question in questions[pre.template_id]:
            code = question.code
            pairs = [
                (items[(pre_pk, code, p)], items[(post_pk, code, p)])
                for p in matched
                if (pre_pk, code, p) in items and (post_pk, code, p) in items
            ]
            measures.append(paired_test(question.text, [b for b, _a in pairs], [a for _b, a in pairs]))
        result[event_id] = {
            "pre": pre,
            "post": post,
            "pre_count": len(before),
            "post_count": len(after),
            "measures": measures,
        }
    return result


def is_personal_data_allowed(user: User, response: Response) -> bool:
    """Personal columns in exports only for staff of the response's own province."""
    return may(user, "see_personal_answers", response)


# --- trainer and speaker ratings ----------------------------------------------------------


def speaker_rating_summary(user: Any, *, event: Any = None) -> dict[int, dict[str, Any]]:
    """``{speaker id: {"average": float, "count": int}}`` over the submitted post-event
    ratings the user may see (her province's respondents; all for central staff), optionally for one
    event only. One grouped query."""
    from surveys.models import SpeakerRating

    # A draft can still change: only submitted questionnaires count.
    ratings = SpeakerRating.objects.visible_to(user).filter(response__status=Response.Status.SUBMITTED)
    if event is not None:
        ratings = ratings.filter(response__deployment__event=event)
    rows = ratings.values("speaker_id").annotate(average=Avg("score"), count=Count("id")).order_by()
    return {r["speaker_id"]: {"average": round(float(r["average"]), 2), "count": r["count"]} for r in rows}


# --- invitations: response rate and who has not answered -----------------------------------


@dataclass
class RateRow:
    label: str
    invited: int
    answered: int

    @property
    def percent(self) -> float:
        return _pct(self.answered, self.invited) if self.invited else 0.0


def deployment_response_rates(deployment: Deployment) -> list[RateRow]:
    """Per reached network: members invited and submitted responses; then the event's
    guests; then answers through the group link that name nobody. Aggregates only
    (no personal data), four grouped queries."""
    from members.models import Membership
    from surveys.models import SurveyInvitation

    networks = list(deployment.networks.order_by("name"))
    invited = dict(
        SurveyInvitation.objects.filter(
            deployment=deployment,
            is_guest=False,
            person__memberships__network__in=networks,
            person__memberships__status=Membership.Status.MEMBER,
        )
        .values_list("person__memberships__network")
        .annotate(n=Count("person", distinct=True))
        .order_by()
    )
    submitted = Response.objects.filter(deployment=deployment, status=Response.Status.SUBMITTED)
    guest_ids = SurveyInvitation.objects.filter(deployment=deployment, is_guest=True).values("person_id")
    answered = dict(
        submitted.exclude(person_id__in=guest_ids).values_list("network").annotate(n=Count("id")).order_by()
    )
    rows = [RateRow(n.name, invited.get(n.pk, 0), answered.get(n.pk, 0)) for n in networks]
    guests_invited = SurveyInvitation.objects.filter(deployment=deployment, is_guest=True).count()
    if guests_invited:
        from django.utils.translation import gettext as _

        rows.append(RateRow(_("Guests"), guests_invited, submitted.filter(person_id__in=guest_ids).count()))
    unnamed = answered.get(None, 0)
    if unnamed:
        from django.utils.translation import gettext as _

        rows.append(RateRow(_("Group link, no name"), 0, unnamed))
    return rows


def not_answered_for(deployment: Deployment, user: User) -> QuerySet | None:
    """The invitations of people of the user's own province who have not submitted —
    shown only to provincial staff of that province (None for anyone else, and for an
    anonymous survey, where nobody can tell who answered)."""
    from portal.rules import may
    from surveys.models import SurveyInvitation

    if not may(user, "see_who_has_not_answered", deployment):
        return None
    submitted = Response.objects.filter(
        deployment=deployment, status=Response.Status.SUBMITTED, person_id__isnull=False
    ).values("person_id")
    return (
        SurveyInvitation.objects.visible_to(user)
        .filter(deployment=deployment, person__province_id=user.province_id)
        .exclude(person_id__in=submitted)
        .select_related("person", "sms")
        .order_by("person__full_name")
    )
