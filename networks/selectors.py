"""Reads for networks, always scoped through ``visible_to``."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from members.models import Membership
from networks.models import BoardSeat, Network
from portal.collation import people_order

# Chair first, then vice-chairs, then the other board members.
_ROLE_ORDER = Case(
    When(role=BoardSeat.Role.CHAIR, then=Value(0)),
    When(role=BoardSeat.Role.VICE_CHAIR, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def network_list_for(user) -> QuerySet[Network]:  # noqa: ANN001 - User or AnonymousUser
    """Networks the user may see, with province names and active member counts."""
    return (
        Network.objects.visible_to(user)
        .select_related("province", "legacy_province")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.MEMBER)))
    )


def network_page_for(network: Network) -> dict:
    """What the network page shows besides the network: active members (with commune),
    board terms with their seats (latest first) and annual plans with their activities.
    A fixed number of queries whatever the size of the network."""
    from django.db.models import Prefetch

    from networks.models import ActivityPlan, BoardTerm

    members = (
        Membership.objects.filter(network=network, status=Membership.Status.MEMBER)
        .select_related("person__commune")
        .order_by(*people_order("person__full_name"), "pk")
    )
    terms = BoardTerm.objects.filter(network=network).prefetch_related(
        Prefetch("seats", queryset=BoardSeat.objects.select_related("person").order_by(_ROLE_ORDER, "pk"))
    )
    plans = ActivityPlan.objects.filter(network=network).prefetch_related("activities")
    return {"members": members, "board_terms": terms, "plans": plans}
