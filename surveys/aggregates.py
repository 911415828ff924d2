"""Maintained survey result aggregates (:class:`~surveys.models.ResultGroup` and its
:class:`~surveys.models.ResultCell` rows).

Results pages, the province comparison, a network's top needs and the reports read these
sums instead of scanning every answer. A group is recomputed from its own answers when a
response in it is submitted or withdrawn — always from the source rows, so a refresh is
idempotent and never drifts — and :func:`results_rebuild` recomputes a whole deployment
(for data loaded in bulk, or from a task).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum

from surveys.models import Answer, Deployment, Response, ResultCell, ResultGroup

DIMS = ("province_id", "network_id", "category", "ethnicity")
Key = tuple[int, int | None, str, str]


def group_key(response: Response) -> Key:
    """The group a response's figures belong to."""
    return (response.province_id, response.network_id, response.category, response.ethnicity)


def _key_filter(key: Key, prefix: str = "") -> Q:
    province_id, network_id, category, ethnicity = key
    q = Q(**{f"{prefix}province_id": province_id, f"{prefix}category": category, f"{prefix}ethnicity": ethnicity})
    if network_id is None:
        return q & Q(**{f"{prefix}network__isnull": True})
    return q & Q(**{f"{prefix}network_id": network_id})


def _compute(deployment_id: int, key: Key | None) -> tuple[dict[Key, int], list[tuple[Key, dict[str, Any]]]]:
    """Response counts per group and the cell values, from the submitted answers of the
    deployment (of one group when ``key`` is given). Three grouped queries."""
    responses = Response.objects.filter(deployment_id=deployment_id, status=Response.Status.SUBMITTED)
    answers = Answer.objects.filter(response__deployment_id=deployment_id, response__status=Response.Status.SUBMITTED)
    if key is not None:
        responses = responses.filter(_key_filter(key))
        answers = answers.filter(_key_filter(key, "response__"))
    counts = {
        (r["province_id"], r["network_id"], r["category"], r["ethnicity"]): r["n"]
        for r in responses.order_by().values(*DIMS).annotate(n=Count("pk"))
    }
    dims = [f"response__{d}" for d in DIMS]
    cells: list[tuple[Key, dict[str, Any]]] = []
    per_question = (
        answers.order_by()
        .values(*dims, "question_id")
        .annotate(
            respondents=Count("response_id", distinct=True),
            other=Count("pk", filter=Q(option__isnull=True)),
            number_sum=Sum("number"),
            number_count=Count("number"),
            number_min=Min("number"),
            number_max=Max("number"),
        )
    )
    for r in per_question:
        cells.append(
            (
                tuple(r[d] for d in dims),  # type: ignore[arg-type]
                {
                    "question_id": r["question_id"],
                    "option_id": None,
                    "count": r["respondents"],
                    "other": r["other"],
                    "number_sum": r["number_sum"],
                    "number_count": r["number_count"],
                    "number_min": r["number_min"],
                    "number_max": r["number_max"],
                },
            )
        )
    per_option = (
        answers.filter(option__isnull=False)
        .order_by()
        .values(*dims, "question_id", "option_id")
        .annotate(n=Count("pk"))
    )
    for r in per_option:
        cells.append(
            (
                tuple(r[d] for d in dims),  # type: ignore[arg-type]
                {"question_id": r["question_id"], "option_id": r["option_id"], "count": r["n"]},
            )
        )
    return counts, cells


def _store(deployment_id: int, key: Key | None) -> None:
    counts, cells = _compute(deployment_id, key)
    existing = ResultGroup.objects.filter(deployment_id=deployment_id)
    if key is not None:
        existing = existing.filter(_key_filter(key))
    existing.delete()
    if key is not None and not counts:
        # Keep an empty group so the deployment's version still moves forward.
        counts = {key: 0}
    groups = {
        k: ResultGroup(
            deployment_id=deployment_id, province_id=k[0], network_id=k[1], category=k[2], ethnicity=k[3], responses=n
        )
        for k, n in counts.items()
    }
    ResultGroup.objects.bulk_create(groups.values(), batch_size=2000)
    by_group: dict[Key, list[ResultCell]] = defaultdict(list)
    for k, values in cells:
        by_group[k].append(ResultCell(group=groups[k], **values))
    ResultCell.objects.bulk_create([c for rows in by_group.values() for c in rows], batch_size=5000)


def results_refresh(*, response: Response) -> None:
    """Recompute the group ``response`` belongs to (after it was submitted, withdrawn or
    deleted). Runs in the caller's transaction; updates of one deployment are serialised
    by locking its row."""
    with transaction.atomic():
        Deployment.objects.select_for_update().filter(pk=response.deployment_id).first()
        _store(response.deployment_id, group_key(response))


def results_rebuild(*, deployment_id: int) -> None:
    """Recompute every group of a deployment from its answers (idempotent)."""
    with transaction.atomic():
        if Deployment.objects.select_for_update().filter(pk=deployment_id).first() is None:
            return
        _store(deployment_id, None)


def results_version(deployment_ids: list[int]) -> str:
    """A token that changes whenever the aggregates of these deployments change (for
    cache keys). Builds the aggregates of a deployment that has submitted responses but
    none yet (data loaded in bulk). Two small queries in the usual case."""
    rows = {
        r["deployment_id"]: r
        for r in ResultGroup.objects.filter(deployment_id__in=deployment_ids)
        .order_by()
        .values("deployment_id")
        .annotate(n=Count("pk"), last=Max("updated_at"))
    }
    missing = [d for d in deployment_ids if d not in rows]
    if missing:
        needing = set(
            Response.objects.filter(deployment_id__in=missing, status=Response.Status.SUBMITTED)
            .order_by()
            .values_list("deployment_id", flat=True)
            .distinct()
        )
        if needing:
            for deployment_id in sorted(needing):
                results_rebuild(deployment_id=deployment_id)
            return results_version(deployment_ids)
    return ";".join(
        f"{d}:{rows[d]['n']}:{rows[d]['last'].timestamp() if rows[d]['last'] else 0}" if d in rows else f"{d}:-"
        for d in sorted(deployment_ids)
    )
