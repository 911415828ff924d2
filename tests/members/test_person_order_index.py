"""Issue 15: people lists sort by given name, then family name, in Vietnamese order — and an
index serves exactly that order, so a page of the member list is read in index order
instead of sorting every person of the province (or the country) first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F

from members.models import Person
from members.selectors import person_search
from portal.collation import VI_COLLATION, people_order, people_order_keys
from tests.factories import province

pytestmark = pytest.mark.django_db


def _index_sql(name: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [name])
        row = cursor.fetchone()
    assert row, f"no index {name} on {connection.vendor}"
    return " ".join(row[0].replace('"', "").split())


def _index_collations(name: str) -> list[str | None]:
    """The collation of each column of a PostgreSQL index (None where it has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.collname FROM pg_index i CROSS JOIN LATERAL unnest(i.indcollation) WITH ORDINALITY AS u(oid, n)"
            " LEFT JOIN pg_collation c ON c.oid = u.oid WHERE i.indexrelid = %s::regclass ORDER BY u.n",
            [name],
        )
        return [row[0] for row in cursor.fetchall()]


def test_the_indexes_are_the_ordering_keys():
    """The model declares the indexes from the same expressions as its ordering."""
    indexes = {index.name: index for index in Person._meta.indexes}
    assert list(indexes["person_order_idx"].expressions) == [*people_order_keys(), F("id")]
    assert list(indexes["person_province_order_idx"].expressions) == [F("province_id"), *people_order_keys(), F("id")]
    assert Person._meta.ordering == people_order()


def test_the_database_index_has_the_given_name_key_with_the_vietnamese_collation():
    for name, first in (("person_order_idx", None), ("person_province_order_idx", "province_id")):
        sql = _index_sql(name)
        if connection.vendor == "postgresql":
            # PostgreSQL prints no COLLATE when the expression's collation is its column's.
            assert "regexp_replace((full_name)::text" in sql, sql
            assert _index_collations(name)[-3:-1] == [VI_COLLATION, VI_COLLATION]
        else:
            assert f"(portal_given_name_first(full_name)) COLLATE {VI_COLLATION}" in sql, sql
        columns = sql[sql.index("(") + 1 :]
        assert columns.rstrip(")").endswith("full_name, id"), sql
        if first:
            assert columns.startswith(first), sql


def _people(n: int = 120) -> None:
    given = ["An", "Bình", "Dung", "Đào", "Hoa", "Ngô", "Yến", "Ánh"]
    family = ["Nguyễn Thị", "Trần Thị", "Lê Thị", "Đỗ Thị", "Phạm Thị"]
    hung_yen, nghe_an = province("hung_yen"), province("nghe_an")
    Person.objects.bulk_create(
        Person(
            province=hung_yen if i % 2 else nghe_an,
            full_name=f"{family[i % len(family)]} {given[i % len(given)]}",
            email=f"index{i}@example.org",
        )
        for i in range(n)
    )


def _plan(queryset) -> str:
    # A test has few rows, and for few rows the planner rightly prefers sorting them. With
    # sorting made prohibitively dear, a Sort remains in the plan only if no index gives
    # the order; a larger table gets the index scan without being told.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_person")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="EXPLAIN of PostgreSQL's planner")
@pytest.mark.parametrize(
    ("who", "index"), [("staff_a", "person_province_order_idx"), ("central_staff", "person_order_idx")]
)
def test_a_page_of_the_member_list_is_read_in_index_order(request, who, index):
    _people()
    user = request.getfixturevalue(who)
    plan = _plan(person_search(user=user)[:50])
    assert index in plan, plan
    assert "Sort" not in plan, plan


def test_sqlite_and_python_keep_the_same_order(reference_data):
    """The index changes nothing in the order itself (SQLite's comes from the Python key)."""
    _people(16)
    from portal.collation import person_sort_key

    names = list(Person.objects.values_list("full_name", flat=True))
    assert names == sorted(names, key=person_sort_key)
