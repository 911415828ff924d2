"""``{% pager page %}``: previous/next links that keep the page's other query parameters."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("portal/_pager.html", takes_context=True)
def pager(context: dict[str, Any], page: Any, param: str = "page") -> dict[str, Any]:
    """Links to the previous and next page of ``page`` (a Django ``Page``), with the
    request's other GET parameters kept and ``param`` set to the target page number."""
    request = context.get("request")

    def link(number: int) -> str:
        query = request.GET.copy() if request is not None else None
        if query is None:
            return f"?{param}={number}"
        query[param] = str(number)
        return "?" + query.urlencode()

    return {
        "page": page,
        "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
        "next_url": link(page.next_page_number()) if page.has_next() else "",
    }
