"""The representation dashboard is drawn once per version of the people tables and
served from the cache. The version is raised by database triggers in the writing
transaction, so every way of writing — the services, a bulk ``update()``, raw SQL, a
delete — shows on the next view, and scopes never share a page."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Membership, Person
from portal.caching import data_version
from tests.factories import MembershipFactory
from tests.members.test_dashboard_and_queries import _members

pytestmark = pytest.mark.django_db


def _view(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:dashboard"), params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")], len(queries)


def _total(page: str) -> str:
    return page.split('id="total">', 1)[1].split("<", 1)[0]


def test_the_second_view_comes_from_the_cache(network_a, staff_a, client_for):
    _members(network_a, 12)
    client = client_for(staff_a)
    first, first_queries = _view(client)
    again, again_queries = _view(client)
    assert again == first and _total(first) == "12"
    assert again_queries < first_queries


@pytest.mark.parametrize(
    "write",
    [
        "service",  # a new member through the one writer of memberships
        "bulk_update",  # .update() on people: no save(), no signal, no updated_at
        "raw_sql",  # straight to the table
        "delete",
    ],
)
def test_every_kind_of_write_shows_on_the_next_view(network_a, staff_a, client_for, write):
    _members(network_a, 12)
    client = client_for(staff_a)
    before, _ = _view(client)
    version = data_version("people")
    if write == "service":
        MembershipFactory(network=network_a)
        expected = "13"
    elif write == "bulk_update":
        Membership.objects.filter(pk__in=Membership.objects.filter(network=network_a).values("pk")[:2]).update(
            status=Membership.Status.LEFT
        )
        expected = "10"
    elif write == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE members_person SET ethnicity = 'Kinh' WHERE id IN (SELECT person_id FROM members_membership)"
            )
        expected = "12"
    else:
        Person.objects.filter(pk=Membership.objects.filter(network=network_a).first().person_id).delete()
        expected = "11"
    assert data_version("people") != version
    after, _ = _view(client)
    assert after != before and _total(after) == expected
    if write == "raw_sql":
        assert 'id="minority">0<' in after  # every member now Kinh


def test_scopes_do_not_share_a_page(network_a, network_b, staff_a, staff_b, central_staff, client_for):
    _members(network_a, 12)
    _members(network_b, 7)
    assert _total(_view(client_for(central_staff))[0]) == "19"
    assert _total(_view(client_for(staff_a))[0]) == "12"
    assert _total(_view(client_for(staff_b))[0]) == "7"


def test_the_triggers_are_in_the_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'portal_version_%%'")
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'portal_version_%'")
        tables = {row[0] for row in cursor.fetchall()}
    migration = importlib.import_module("portal.migrations.0007_data_versions")
    assert tables == {table for family in migration.TOPICS.values() for table in family}
    assert {"members_person", "events_attendance", "surveys_response"} <= tables
