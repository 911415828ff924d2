"""Ids that are not ids (30 digits, superscripts, negatives) in URLs, query strings and
forms give 404 or a form error, never a 500: every portal URL with an id is tried."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.urls import URLPattern, URLResolver, get_resolver

from portal.access import id_or_404, parse_id

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
ID_PARAMS = ["network", "province", "person", "event", "invitation", "page", "template", "deployment", "membership"]


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def _portal_routes():
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "accounts/", "^", "media/")) or "(?P" in route:
            continue
        yield pytest.param(route, id=name or route)


ROUTES = list(_portal_routes())


def _fill(route: str, value: str) -> str:
    url = re.sub(r"<int:[^>]+>", value, route)
    url = re.sub(r"<(str|slug|path):[^>]+>", "x", url)
    return "/" + url


@pytest.mark.parametrize("value", [HUGE, "²", "-1", "0", "1e9", "", " 1", "١"])
def test_parse_id_accepts_only_plain_ids(value):
    assert parse_id(value) is None


def test_parse_id_accepts_ids():
    assert parse_id("42") == 42 and parse_id(7) == 7 and parse_id(str(2**63 - 1)) == 2**63 - 1
    assert parse_id(str(2**63)) is None
    with pytest.raises(Http404):
        id_or_404(HUGE)


def test_the_enumeration_finds_the_portal():
    assert len(ROUTES) > 30


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("persona", ["central_staff", "staff_a"])
def test_huge_ids_in_urls_and_query_strings_are_not_500(route, persona, request, client_for, network_a):
    client = client_for(request.getfixturevalue(persona))
    query = dict.fromkeys(ID_PARAMS, HUGE)
    response = client.get(_fill(route, HUGE if "<int:" in route else "1"), query)
    assert response.status_code < 500, (route, response.status_code)
    if "<int:" in route:
        assert client.get(_fill(route, HUGE)).status_code in (302, 404, 405), route


@pytest.mark.parametrize("route", ROUTES)
def test_huge_ids_in_posted_forms_are_not_500(route, client_for, central_staff, network_a):
    client = client_for(central_staff)
    data = dict.fromkeys([*ID_PARAMS, "networks", "speaker", "topics", "commune", "memberships"], HUGE)
    response = client.post(_fill(route, str(network_a.pk) if "<int:" in route else "1"), data)
    assert response.status_code < 500, (route, response.status_code)


@pytest.mark.parametrize("lookup", ["event_id", "event", "event__pk", "event_id__in", "event__in"])
def test_foreign_key_lookups_with_huge_values_match_nothing(lookup):
    """Django range-checks integer columns but not foreign keys: on SQLite
    ``Attendance.objects.filter(event_id=10**30)`` raised OverflowError (a 500 in a view)."""
    from events.models import Attendance

    value = [10**30] if lookup.endswith("__in") else 10**30
    assert list(Attendance.objects.filter(**{lookup: value})) == []
    assert not Attendance.objects.filter(**{lookup: value}).exists()
