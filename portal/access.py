"""The one door for access: what a user may see, and fetching through it.

Every scoped model declares a :class:`Scope` and uses :class:`ScopedQuerySet` as its
manager. ``Model.objects.visible_to(user)`` is then the only province filter in the
code base: views, the admin, exports, imports and reports all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from portal.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.models import User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """How a model's rows belong to provinces, networks and people.

    province: lookup from the model to a Province primary key (e.g. ``"network__province"``).
    network: lookup to a Network primary key, for board members (falls back to province).
    member: lookup to the User primary key of the person the row is about, for members.
    donor: donor viewers may read these rows (only for rows with no personal data).
    public: every logged-in user may read (reference data).
    multi: the lookups cross a many-valued relation, so rows must be de-duplicated.
    """

    province: str | None = None
    network: str | None = None
    member: str | None = None
    donor: bool = False
    public: bool = False
    multi: bool = False


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to limit itself to what a user may see."""

    def _scope(self) -> Scope:
        scope = getattr(self.model, "scope", None)
        if not isinstance(scope, Scope):
            raise TypeError(f"{self.model.__name__} must declare `scope = Scope(...)`.")
        return scope

    def visible_to(self, user: User | AnonymousUser | None) -> ScopedQuerySet:
        """Return the rows ``user`` may see: all for central staff, her province for
        provincial staff, her network for board members, her own rows for members,
        non-personal rows for donor viewers, and nothing for anyone else."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = self._scope()
        if user.is_central:
            return self.all()
        condition: Q | None = None
        role = user.role
        if role == Role.PROVINCIAL_STAFF and scope.province and user.province_id:
            condition = Q(**{scope.province: user.province_id})
        elif role == Role.BOARD_MEMBER and user.network_id:
            if scope.network:
                condition = Q(**{scope.network: user.network_id})
            elif scope.province:
                condition = Q(**{scope.province: user.scope_province_id})
        elif role == Role.MEMBER and scope.member:
            condition = Q(**{scope.member: user.pk})
        elif role == Role.DONOR_VIEWER and scope.donor:
            return self.all()
        if condition is None:
            return self.all() if scope.public else self.none()
        if scope.multi and _crosses_many(self.model, next(iter(dict(condition.children)))):
            return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))
        # A single-valued path (e.g. a person's own province) is a plain join and WHERE,
        # which the planner can combine with the other filters and indexes.
        return self.filter(condition)


def _crosses_many(model: type[models.Model], lookup: str) -> bool:
    """Whether the ``__``-separated ``lookup`` from ``model`` follows a many-valued
    relation (so filtering on it could repeat rows)."""
    opts = model._meta
    for name in lookup.split("__"):
        try:
            field = opts.get_field(name)
        except Exception:  # noqa: BLE001 - a transform such as "pk" or "in" ends the path
            return False
        if field.many_to_many or field.one_to_many:
            return True
        if not field.is_relation or field.related_model is None:
            return False
        opts = field.related_model._meta
    return False


def get_for_user_or_404(queryset: models.QuerySet[M] | type[M], user: User | AnonymousUser, **lookup: Any) -> M:
    """Fetch one row through ``visible_to``; a row the user may not see is a 404."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    return get_object_or_404(queryset.visible_to(user), **lookup)


def get_for_action_or_404(
    queryset: models.QuerySet[M] | type[M], user: User | AnonymousUser, action: str, **lookup: Any
) -> M:
    """Fetch one row through ``visible_to``, then ask the rules table whether ``user`` may
    do ``action`` to it: both refusals are a 404 (a row she may see but not act on looks
    like a row of another province)."""
    from portal.rules import require

    obj = get_for_user_or_404(queryset, user, **lookup)
    require(user, action, obj)
    return obj


# Primary keys are PostgreSQL bigint at most: anything longer is not an id of ours.
_MAX_ID = 2**63 - 1


def parse_id(value: object) -> int | None:
    """An id typed into a URL, query string or form: ASCII digits within bigint range,
    else None (so "²", "1e9", "-1" and a 40-digit number are not ids, and never a 500)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 0 < number <= _MAX_ID else None


def id_or_404(value: object) -> int:
    """:func:`parse_id`, with a 404 for anything that is not an id."""
    number = parse_id(value)
    if number is None:
        raise Http404
    return number


def require_staff(user: User | AnonymousUser) -> None:
    """Raise 404 unless the user may use the staff pages (the ``use_staff_pages`` rule)."""
    from portal.rules import require

    require(user, "use_staff_pages")


# "May she DO it" lives beside "may she see it": one table of named predicates.
from portal.rules import RULES, may, require  # noqa: E402

# --- Board members run their own network (issue 14) --------------------------------------
# Shorthands over the rules table (``run_network``, ``run_event``): a board member acts on
# her own network only; staff act on what ``visible_to`` lets them see.


def runs_network(user: User | AnonymousUser, network_id: int | None) -> bool:
    """May ``user`` run the network (members, invitations, check-in, events, announcements,
    tasks)? The ``run_network`` rule: staff, networks they see; a board member, only the
    network she sits on."""
    if network_id is None:
        return False
    from networks.models import Network

    return may(user, "run_network", Network(pk=network_id))


def runs_event(user: User | AnonymousUser, event: models.Model) -> bool:
    """May ``user`` invite to and check people in at ``event``? The ``run_event`` rule."""
    return may(user, "run_event", event)


def require_runs_network(user: User | AnonymousUser, network_id: int | None) -> None:
    """404 unless ``runs_network``: another network's pages do not exist for her."""
    if not runs_network(user, network_id):
        raise Http404


def require_runs_event(user: User | AnonymousUser, event: models.Model) -> None:
    require(user, "run_event", event)


__all__ = [
    "RULES",
    "Scope",
    "ScopedQuerySet",
    "get_for_action_or_404",
    "get_for_user_or_404",
    "id_or_404",
    "may",
    "parse_id",
    "require",
    "require_runs_event",
    "require_runs_network",
    "require_staff",
    "runs_event",
    "runs_network",
]
