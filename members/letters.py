"""Invitation letters in the official format of a Vietnamese administrative letter
(Decree 30/2020/NĐ-CP): issuing body and national heading side by side, the letter's
number, place and date, title, body, signature block and recipients; with a short link
(``SITE_URL/a/<code>``) a person can type from paper, and its QR code."""

from __future__ import annotations

import base64
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation, Membership
from members.services import invitation_short_code
from portal.links import absolute
from portal.qr import qr_png

LETTER_NUMBER_SUFFIX = "GM-HLHPN"  # giấy mời of the Hội LHPN


def short_link(invitation: Invitation) -> str:
    """``SITE_URL/a/<code>``: the invitation's link, short enough to type (built on
    ``portal.links``, never on the request's host)."""
    return absolute(reverse("short_link", args=[invitation_short_code(invitation)]))


def issuing_province(membership: Membership) -> str:
    """ "TỈNH HƯNG YÊN", "THÀNH PHỐ HÀ NỘI": the province as the issuing body writes it."""
    province = membership.network.province
    kind = "thành phố" if province.division_type.startswith("thành phố") else "tỉnh"
    return f"{kind} {province.name}".upper()


def letter_context(
    membership: Membership, invitation: Invitation, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything the letter template prints for one invitation."""
    link = short_link(invitation)
    issued = timezone.localtime(invitation.created_at)
    return {
        "membership": membership,
        "invitation": invitation,
        "link": link,
        "qr": "data:image/png;base64," + base64.b64encode(qr_png(link)).decode(),
        "province_name": issuing_province(membership),
        "place": membership.network.province.name,
        "issued": issued,
        "number": f"{invitation.pk}/{LETTER_NUMBER_SUFFIX}",
    }


def open_invitations(
    user: Any, *, network_id: int | None = None, membership_ids: list[int] | None = None
) -> list[tuple[Membership, Invitation]]:
    """The invited memberships ``user`` may see that have an open invitation, each with its
    latest one, in print order (network, then name): of one network, or of the given
    memberships (a batch printed by a worker), or all. Two queries."""
    from django.db.models import Prefetch

    from portal.collation import people_order

    open_ = Invitation.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now()).order_by("-created_at")
    memberships = (
        Membership.objects.visible_to(user)
        .filter(status=Membership.Status.INVITED)
        .select_related("person", "network__province")
        .prefetch_related(Prefetch("invitations", queryset=open_, to_attr="open_invitations"))
        .order_by("network__name", *people_order("person__full_name"))
    )
    if network_id:
        memberships = memberships.filter(network_id=network_id)
    if membership_ids is not None:
        memberships = memberships.filter(pk__in=membership_ids)
    return [(m, m.open_invitations[0]) for m in memberships if m.open_invitations]
