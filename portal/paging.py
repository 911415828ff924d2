"""One page size for long lists, so that no staff page renders a whole country."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def page_of(request: HttpRequest, items: Any, *, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    """The requested page of ``items`` (a queryset is sliced in the database); a missing,
    bad or too-large page number gives the first or last page rather than an error."""
    return Paginator(items, per_page).get_page(request.GET.get(param))
