"""Vietnamese alphabetical order in lists and exports, on SQLite and PostgreSQL alike:
Đ after D, "Ngô" before "Nguyễn"; people by given name, then family name."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from members.models import Person
from networks.models import Province
from portal.collation import VI_COLLATION, person_sort_key, vi_sort_key
from tests.factories import MembershipFactory, PersonFactory

# In Vietnamese order. Raw Unicode order would put "Đinh" after "Yên" and "Nguyễn" before "Ngô".
WORDS = [
    "an",
    "Anh",
    "Ánh",
    "Ạnh",
    "ăn",
    "Ân",
    "Bình",
    "Dung",
    "Dương",
    "Đào",
    "Đinh",
    "Hà",
    "Ngô",
    "Nguyễn",
    "Ô",
    "Ơn",
    "Uyên",
    "Ưng",
    "Yên",
]
TRICKY = [
    *WORDS,
    "a",
    "A",
    "à",
    "ả",
    "ã",
    "á",
    "ạ",
    "a b",
    "a-b",
    "ab",
    "1",
    "ơ",
    "ô",
    "o",
    "Ư",
    "u",
    "ủ",
    "ụ",
    "Dz",
    "đa",
]


def test_the_python_key_sorts_vietnamese():
    assert sorted(sorted(WORDS), key=vi_sort_key) == WORDS  # from raw Unicode order
    assert sorted(["Nguyễn", "Ngô"], key=vi_sort_key) == ["Ngô", "Nguyễn"]
    assert sorted(["Yên", "Đào", "Dung"], key=vi_sort_key) == ["Dung", "Đào", "Yên"]


def test_people_sort_by_given_name_then_family_name():
    names = ["Nguyễn Thị Hoa", "Trần Văn An", "Lê Thị Hoa", "Đỗ Minh Đức", "Phạm Dũng"]
    assert sorted(names, key=person_sort_key) == [
        "Trần Văn An",
        "Phạm Dũng",
        "Đỗ Minh Đức",
        "Lê Thị Hoa",
        "Nguyễn Thị Hoa",
    ]


@pytest.mark.django_db
def test_the_database_sorts_name_columns_in_vietnamese_order(reference_data):
    people = [PersonFactory(full_name=w) for w in reversed(WORDS)]
    assert people
    by_column = list(Person.objects.order_by("full_name").values_list("full_name", flat=True))
    assert by_column == WORDS, connection.vendor


@pytest.mark.django_db
def test_the_database_and_python_agree_on_tricky_strings():
    """The SQLite collation is the Python key; on PostgreSQL ICU decides: both must agree."""
    values = " UNION ALL ".join(["SELECT %s AS x"] * len(TRICKY))
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT x FROM ({values}) t ORDER BY x COLLATE "{VI_COLLATION}"', TRICKY)  # noqa: S608
        in_database = [row[0] for row in cursor.fetchall()]
    assert in_database == sorted(TRICKY, key=vi_sort_key), connection.vendor


@pytest.mark.django_db
def test_provinces_list_dak_lak_after_the_d_provinces(reference_data):
    names = list(Province.objects.values_list("name", flat=True))
    assert names == sorted(names, key=vi_sort_key)
    d_names = [n for n in names if n[0] in "DĐ"]
    assert d_names == sorted(d_names, key=lambda n: (n[0] == "Đ", vi_sort_key(n)))


@pytest.mark.django_db
def test_members_list_and_export_follow_given_names(client_for, staff_a, network_a):
    for name in ["Nguyễn Thị Hoa", "Trần Văn An", "Ngô Thị Bình", "Đỗ Thị Dung", "Lê Văn Đức", "Phạm Thị Duyên"]:
        MembershipFactory(network=network_a, person__full_name=name)
    expected = ["Trần Văn An", "Ngô Thị Bình", "Đỗ Thị Dung", "Phạm Thị Duyên", "Lê Văn Đức", "Nguyễn Thị Hoa"]
    client = client_for(staff_a)

    page = client.get(reverse("members:list")).content.decode()
    positions = [page.index(name) for name in expected]
    assert positions == sorted(positions)

    exported = client.get(reverse("members:export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    header = rows[0]
    column = next(i for i, title in enumerate(header) if "tên" in title.lower() or "name" in title.lower())
    assert [r[column] for r in rows[1:]] == expected
