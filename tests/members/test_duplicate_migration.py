"""The data migration before the unique constraints: duplicates that already exist are
handled safely (the oldest record keeps the phone/e-mail, the others lose it with a note in
their history; nothing is merged or deleted)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection

from members.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("members.migrations.0006_unique_phone_and_email_per_province")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="drops a constraint inside the test transaction")
def test_existing_duplicates_keep_the_oldest_and_lose_nothing(province_a, province_b):
    with connection.schema_editor() as editor:
        for constraint in Person._meta.constraints:
            editor.remove_constraint(Person, constraint)
    first = PersonFactory(province=province_a, full_name="Người Đầu", phone="+84912000001", email="A@Example.org")
    second = PersonFactory(province=province_a, full_name="Người Sau", phone="+84912000001", email="a@example.org")
    other_province = PersonFactory(province=province_b, phone="+84912000001", email="a@example.org")

    migration.clear_duplicate_contacts(apps, None)

    first.refresh_from_db()
    second.refresh_from_db()
    other_province.refresh_from_db()
    assert (str(first.phone), first.email) == ("+84912000001", "a@example.org")
    assert (second.phone, second.email) == ("", "")
    assert str(other_province.phone) == "+84912000001", "another province is not a duplicate"
    assert Person.objects.count() == 3, "nothing merged or deleted"
    reasons = list(second.history.values_list("history_change_reason", flat=True))
    assert any(r and "+84912000001" in r and f"#{first.pk}" in r for r in reasons), reasons
    assert "nguoi sau" in second.search_text and "0912000001" not in second.search_text
