"""``{% top_needs network %}``: the needs members asked for most, for pages of other apps.

A template tag rather than a view import keeps ``networks`` and ``events`` from
importing ``surveys`` (apps import downward only); the caller must already have
fetched ``network`` through ``visible_to``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from networks.models import Network
from surveys.selectors import top_needs_for_network, top_needs_for_networks

register = template.Library()


@register.inclusion_tag("surveys/_top_needs.html")
def top_needs(network: Network, show_network: bool = False, limit: int = 5) -> dict[str, Any]:
    return {"top_needs": top_needs_for_network(network, limit=limit), "network": network, "show_network": show_network}


@register.inclusion_tag("surveys/_top_needs_many.html")
def top_needs_many(networks: Iterable[Network], show_network: bool = False, limit: int = 5) -> dict[str, Any]:
    """``{% top_needs_many networks %}``: one section per network, in a fixed number of
    queries however many networks there are (the event form lists all of hers)."""
    networks = list(networks)
    found = top_needs_for_networks(networks, limit=limit)
    return {"items": [(network, found.get(network.pk)) for network in networks], "show_network": show_network}


@register.inclusion_tag("surveys/_top_need_options.html")
def top_need_options(network: Network, limit: int = 20) -> dict[str, Any]:
    """A ``<datalist id="top-need-options">`` of the needs members chose, so a planned
    activity can name the need it answers."""
    return {"top_needs": top_needs_for_network(network, limit=limit)}
