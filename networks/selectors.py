"""Reads for networks, always scoped through ``visible_to``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from members.models import Membership
from networks.models import Network


def network_list_for(user) -> QuerySet[Network]:  # noqa: ANN001 - User or AnonymousUser
    """Networks the user may see, with province names and active member counts."""
    return (
        Network.objects.visible_to(user)
        .select_related("province", "legacy_province")
        .annotate(member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.MEMBER)))
    )
