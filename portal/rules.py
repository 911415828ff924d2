"""The one table of what a user may DO to an object, beside ``visible_to`` (what she may SEE).

Every permission question in the portal ("may she manage this event?", "may she see
names on this network's page?") is one named predicate in :data:`RULES`. Views call
:func:`require` (a refusal is a 404, as for rows of another province), services and
forms call :func:`may`, templates use ``{% may "action" obj as flag %}`` from the
``access`` tag library, and the admin's ``has_*_permission(request, obj)`` delegate to
the table through :class:`portal.admin_scoping.ScopedAdminMixin`.

Predicates are small functions of ``(user, obj)`` combined with ``&``, ``|`` and ``~``,
so adding a rule is one line in :data:`RULES`::

    "manage_board": is_central | (is_provincial_staff & in_own_province),

``may`` is only ever called with an authenticated, active user reaching a predicate;
anonymous and inactive users are refused before any predicate runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.http import Http404

from portal.roles import Role

__all__ = ["RULES", "Predicate", "may", "predicate", "require"]


class Predicate:
    """A named yes/no question about ``(user, obj)``; combine with ``&``, ``|``, ``~``."""

    def __init__(self, fn: Callable[[Any, Any], bool], name: str | None = None) -> None:
        self.fn = fn
        self.name = name or getattr(fn, "__name__", "predicate")

    def __call__(self, user: Any, obj: Any = None) -> bool:
        return bool(self.fn(user, obj))

    def __and__(self, other: Predicate) -> Predicate:
        return Predicate(lambda u, o: self(u, o) and other(u, o), f"({self.name} & {other.name})")

    def __or__(self, other: Predicate) -> Predicate:
        return Predicate(lambda u, o: self(u, o) or other(u, o), f"({self.name} | {other.name})")

    def __invert__(self) -> Predicate:
        return Predicate(lambda u, o: not self(u, o), f"~{self.name}")

    def __repr__(self) -> str:
        return f"<Predicate {self.name}>"


def predicate(fn: Callable[[Any, Any], bool]) -> Predicate:
    """Decorator: turn ``fn(user, obj) -> bool`` into a combinable :class:`Predicate`."""
    return Predicate(fn)


# --- who she is -------------------------------------------------------------------------


@predicate
def is_central(user: Any, obj: Any) -> bool:
    return user.is_central


@predicate
def is_staff(user: Any, obj: Any) -> bool:
    """Central or provincial staff."""
    return user.is_portal_staff


@predicate
def is_provincial_staff(user: Any, obj: Any) -> bool:
    return user.role == Role.PROVINCIAL_STAFF and bool(user.province_id)


@predicate
def is_board_member(user: Any, obj: Any) -> bool:
    return user.role == Role.BOARD_MEMBER and bool(user.network_id)


@predicate
def is_donor_viewer(user: Any, obj: Any) -> bool:
    return user.role == Role.DONOR_VIEWER


@predicate
def is_member(user: Any, obj: Any) -> bool:
    return user.role == Role.MEMBER


# --- what the object is -----------------------------------------------------------------


@predicate
def anonymous_survey(user: Any, obj: Any) -> bool:
    """An anonymous deployment: nobody can tell who answered."""
    return bool(getattr(obj, "is_anonymous", False))


# --- where the object is ----------------------------------------------------------------


@predicate
def sees(user: Any, obj: Any) -> bool:
    """The object is in her scope (``visible_to``); ``None`` (no object) passes."""
    if obj is None:
        return True
    if not isinstance(obj, models.Model) or obj.pk is None:
        return True
    manager = type(obj)._default_manager
    if not hasattr(manager, "visible_to"):
        return False
    return manager.visible_to(user).filter(pk=obj.pk).exists()


def _province_ids(obj: Any) -> set[int | None]:
    """The provinces an object belongs to (an event of several networks has several)."""
    from events.models import Event
    from networks.models import Province

    if obj is None:
        return set()
    if isinstance(obj, Province):
        return {obj.pk}
    if isinstance(obj, Event):
        if obj.pk is None:
            return set()
        return set(obj.networks.values_list("province_id", flat=True))
    if hasattr(obj, "province_id"):
        return {obj.province_id}
    for attr in ("network", "event", "person", "membership", "term", "plan"):
        if getattr(obj, f"{attr}_id", None) is not None:
            return _province_ids(getattr(obj, attr))
    return set()


@predicate
def in_own_province(user: Any, obj: Any) -> bool:
    """Every province the object belongs to is hers (a shared event of three provinces
    is in none of them alone)."""
    provinces = _province_ids(obj)
    return bool(provinces) and provinces == {user.scope_province_id}


@predicate
def organised_by_own_province(user: Any, obj: Any) -> bool:
    """The event's organising province is hers (for an event shared by several provinces)."""
    organiser = getattr(obj, "organiser_id", None)
    return organiser is not None and organiser == user.scope_province_id


@predicate
def own_network(user: Any, obj: Any) -> bool:
    """A board member's own network."""
    network_id = getattr(obj, "pk", None) if type(obj).__name__ == "Network" else getattr(obj, "network_id", None)
    return network_id is not None and network_id == user.network_id


@predicate
def event_of_own_network(user: Any, obj: Any) -> bool:
    """One of the event's networks is the board member's own."""
    return bool(user.network_id) and obj.pk is not None and obj.networks.filter(pk=user.network_id).exists()


# --- the table --------------------------------------------------------------------------

# A shared (multi-province) event is managed by central staff or its organising province;
# other provinces see their own people and totals and run their own check-in.
_manage_event = is_central | (is_provincial_staff & sees & (in_own_province | organised_by_own_province))

# Inviting, checking in and the sign-in sheet: staff who see the event (each province her
# own people), or a board member of one of its networks.
_run_event = (is_staff & sees) | (is_board_member & event_of_own_network)

RULES: dict[str, Predicate] = {
    # Generic record rights, used by the admin for models without a rule of their own.
    "view_record": is_staff & sees,
    "change_record": is_central | (is_staff & sees),
    "delete_record": is_central | (is_staff & sees),
    "manage_reference": is_central,
    "use_staff_pages": is_staff,
    # Networks. A board member runs her own network (issue 14): members, invitations,
    # check-in, events, announcements and tasks.
    "see_network": sees,
    "run_network": (is_staff & sees) | (is_board_member & own_network),
    "manage_network": is_central | (is_provincial_staff & sees & in_own_province),
    "see_names_here": sees & (is_staff | is_board_member),
    # Events: programme, news, surveys and settings belong to whoever runs the event.
    "create_event": is_staff | is_board_member,
    # Staff's events need no approval; a board member's waits where her network asks for it.
    "skip_event_approval": is_staff,
    "manage_event": _manage_event,
    # The organising province of an event (object: a Province, or None for the Central
    # Union alone): central staff name any of the event's provinces, provincial staff only
    # their own; a board member's event is organised by her province without asking.
    "choose_event_organiser": is_central | (is_provincial_staff & in_own_province),
    # Guests and walk-ins added at an event belong to a province (object: the Province):
    # central staff add people of any of its provinces, others of their own.
    "add_people_of_province": is_central | ((is_staff | is_board_member) & in_own_province),
    # Trainers and speakers: a province keeps its own roster, the Central Union the shared one.
    "keep_shared_roster": is_central,
    "manage_speaker": is_central | (is_staff & in_own_province),
    "run_event": _run_event,
    "invite_to_event": _run_event,
    "check_in_at_event": _run_event,
    "see_event_people": _run_event,
    # Members.
    "manage_members": is_staff,
    "import_members": is_central | (is_provincial_staff & in_own_province),
    "import_for_any_province": is_central,
    "manage_person": is_central | (is_staff & sees),
    "anonymise_person": is_central | (is_staff & sees),
    "see_personal_answers": is_provincial_staff & in_own_province,
    "see_own_profile": is_member,
    # Surveys: deploying to an event is managing it; to a network, managing the network.
    "deploy_survey": Predicate(lambda u, o: RULES["manage_event" if _is_event(o) else "manage_network"](u, o)),
    # A deployment, a news item or an agenda slot is managed by whoever manages its event
    # (or, for a deployment to a network, the network).
    "manage_deployment": is_staff & sees & Predicate(lambda u, o: RULES["deploy_survey"](u, o.event or o.network)),
    "manage_event_item": is_staff & sees & Predicate(lambda u, o: _manage_event(u, o.event)),
    # The deployments page (staff) rather than "my surveys" (everyone else).
    "list_deployments": is_staff,
    # Who has not answered a deployment, with a resend button: her own province's people,
    # to provincial staff only, and never on an anonymous survey.
    "see_who_has_not_answered": is_provincial_staff & sees & ~anonymous_survey,
    # Reports.
    "read_reports": is_staff | is_donor_viewer,
    "request_report": is_staff & sees,
    "request_donor_report": is_central,
    "write_lessons": is_staff & sees,
    "write_overall_lessons": is_central,
    # Figures and results over every province, and hand-entered actuals without a province.
    "report_nationally": is_central,
    # A hand-entered indicator actual (object: the Province, or None for the whole project).
    "record_indicator_actual": is_central | (is_provincial_staff & in_own_province),
    # The quarterly reporting cycle (issue 12): central staff open a quarter and accept or
    # return a submitted report; staff who see a network's submission submit it.
    "see_quarterly_reports": is_staff,
    "open_quarter": is_central,
    "submit_quarterly_report": is_staff & sees,
    "review_quarterly_report": is_central & sees,
    # The portal's own records: the access log (each her scope's) and the breach register.
    "read_access_log": is_staff,
    "manage_breaches": is_central,
    # Documents uploaded to a record (founding decision, charter, plan): whoever sees the
    # record, except donor viewers (a founding decision lists the members by name).
    "download_file": sees & ~is_donor_viewer,
}


def _is_event(obj: Any) -> bool:
    return type(obj).__name__ == "Event"


def may(user: Any, action: str, obj: Any = None) -> bool:
    """True when ``user`` may do ``action`` (a key of :data:`RULES`) to ``obj``.

    An unknown action is a programming error (KeyError), never a silent yes."""
    rule = RULES[action]
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return rule(user, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise 404 unless ``may(user, action, obj)``: a refused action looks like a row
    that does not exist, as for another province's records."""
    if not may(user, action, obj):
        raise Http404
