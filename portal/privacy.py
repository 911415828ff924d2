"""The one rule for small groups (Law 91/2025/QH15, Decree 13/2023).

A figure describing fewer than ``MIN_GROUP_SIZE`` people is not shown: the group shows
as ``SMALL`` ("<5") and its answers are withheld. Where a breakdown sits next to its
total, complementary cells are withheld too, so that the total minus the visible cells
never gives a group below the limit. Every selector that feeds a page, an export or a
report calls these functions, so pages, exports and reports apply the same rule.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

MIN_GROUP_SIZE = 5
SMALL = "<5"
# A cell withheld only so that a small group cannot be computed from the total.
WITHHELD = "—"

K = TypeVar("K", bound=Hashable)


def is_small(count: int | None, min_size: int = MIN_GROUP_SIZE) -> bool:
    """True when ``count`` people is a group too small to describe (zero is not a group)."""
    return bool(count) and count < min_size  # type: ignore[operator]


def shown_count(count: int, min_size: int = MIN_GROUP_SIZE) -> int | str:
    """``count`` as it may be shown on its own: the number, or "<5"."""
    return SMALL if is_small(count, min_size) else count


def suppressed_cells(counts: Mapping[K, int], *, min_size: int = MIN_GROUP_SIZE, with_total: bool = True) -> set[K]:
    """The keys of a breakdown (``counts``: a partition of one group, "not stated"
    included) whose figures must be withheld.

    Every cell with 1 to ``min_size - 1`` people is withheld. When the total is shown
    (``with_total``), the smallest remaining cells are withheld as well until the
    withheld cells together hold at least ``min_size`` people (or nothing is left), so
    that total minus visible cells reveals no small group."""
    hidden = {key for key, n in counts.items() if is_small(n, min_size)}
    if with_total:
        while hidden and sum(counts[k] for k in hidden) < min_size:
            rest = sorted(((n, str(k)), k) for k, n in counts.items() if k not in hidden and n > 0)
            if not rest:
                break
            hidden.add(rest[0][1])
    return hidden


def shown_cells(
    counts: Mapping[K, int], *, min_size: int = MIN_GROUP_SIZE, with_total: bool = True
) -> dict[K, int | str]:
    """The breakdown as it may be shown: each count, "<5" for a small group, and "—" for
    a cell withheld only to protect a small one (complementary suppression)."""
    hidden = suppressed_cells(counts, min_size=min_size, with_total=with_total)
    return {
        key: (n if key not in hidden else SMALL if is_small(n, min_size) else WITHHELD) for key, n in counts.items()
    }


def visible_values(counts: Mapping[K, int], *, min_size: int = MIN_GROUP_SIZE) -> list[K]:
    """The values of one dimension that may be offered as a filter: those whose group is
    not withheld in the breakdown of the whole (so choosing one never shows a small group,
    and the unfiltered figures minus one choice never describe a small group). The
    offered list never names a value held by fewer than ``min_size`` people."""
    hidden = suppressed_cells(counts, min_size=min_size, with_total=True)
    return [key for key, n in counts.items() if n and key not in hidden]


def filter_allowed(
    cube: Iterable[tuple[Mapping[str, object], int]], filters: Mapping[str, object], *, min_size: int = MIN_GROUP_SIZE
) -> bool:
    """May results filtered by ``filters`` be shown, given ``cube``: the number of
    respondents for each combination of the filter dimensions (one grouped query)?

    Yes when the filtered group has at least ``min_size`` people and, for every filter,
    its value is not withheld in the breakdown of the group without that filter (and
    that group is itself allowed). This stops the differencing attack: unfiltered minus
    filtered results, or a group minus a narrower one, never describe fewer than
    ``min_size`` people."""
    rows = [(dict(key), n) for key, n in cube]

    def count(active: Mapping[str, object]) -> int:
        return sum(n for key, n in rows if all(key.get(d) == v for d, v in active.items()))

    memo: dict[frozenset, bool] = {}

    def allowed(active: dict[str, object]) -> bool:
        marker = frozenset(active.items())
        if marker in memo:
            return memo[marker]
        ok = count(active) >= min_size
        for dim, value in active.items():
            if not ok:
                break
            parent = {d: v for d, v in active.items() if d != dim}
            breakdown: dict[object, int] = {}
            for key, n in rows:
                if all(key.get(d) == v for d, v in parent.items()):
                    breakdown[key.get(dim)] = breakdown.get(key.get(dim), 0) + n
            ok = allowed(parent) and value not in suppressed_cells(breakdown, min_size=min_size)
        memo[marker] = ok
        return ok

    return allowed(dict(filters))
