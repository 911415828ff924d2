"""``{% may "manage_event" event as may_manage %}``: the rules table in templates."""

from __future__ import annotations

from typing import Any

from django import template

from portal.rules import may as _may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context: template.Context, action: str, obj: Any = None) -> bool:
    """True when the page's user may do ``action`` to ``obj`` (see ``portal.rules.RULES``)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return _may(user, action, obj)
