"""The bulk history writer (imports) writes the rows simple_history would: same columns,
values, type, user and date; an import leaves one audit row per person it created or
changed, by the person who imported."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from members import services
from members.bench import member_xlsx
from members.models import Basis, Person
from networks.models import Commune, Province
from portal.history import bulk_history_insert
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _rows(person: Person, count: int) -> list[dict]:
    rows = list(Person.history.filter(id=person.pk).order_by("-history_id").values()[:count])
    for row in rows:
        row.pop("history_id")
    return rows


@pytest.mark.parametrize("update", [False, True])
def test_the_rows_are_those_simple_history_writes(staff_a, update):
    person = PersonFactory(
        phone="+84912345678",
        commune=Commune.objects.filter(province__codename="hung_yen").first(),
        full_name="Đặng Thị Ánh\tNguyệt",  # a tab is allowed text
        position="Phó Giám đốc",
        basis=Basis.OFFICIAL_LIST,
        basis_source="Danh sách “Sở Nội vụ”",
        basis_recorded_at=datetime(2026, 11, 2, 3, 4, 5, tzinfo=UTC),
        sensitive_consent_at=None,
    )
    person.membership_end_hint = date(2026, 1, 1)  # an attribute that is not a field is ignored
    when = datetime(2026, 11, 20, 8, 30, 15, 123456, tzinfo=UTC)
    Person.history.bulk_history_create([person], update=update, default_user=staff_a, default_date=when)
    assert bulk_history_insert(Person, [person], update=update, user=staff_a, when=when) == 1
    ours, theirs = _rows(person, 2)
    assert ours == theirs
    assert ours["history_type"] == ("~" if update else "+") and ours["history_user_id"] == staff_a.pk
    assert str(ours["phone"]) == "+84912345678" and ours["history_date"] == when


def test_unsaved_objects_are_refused():
    with pytest.raises(ValueError, match="saved first"):
        bulk_history_insert(Person, [Person(full_name="Chưa lưu")])


def test_an_import_leaves_one_audit_row_per_person_it_wrote(staff_a):
    province = Province.objects.get(codename="hung_yen")
    services.member_import(
        content=member_xlsx(province, 30), file_name="a.xlsx", province_id=province.pk, actor=staff_a
    )
    people = Person.objects.filter(province=province)
    assert people.count() == 30
    created = Person.history.filter(id__in=people.values("pk"), history_type="+")
    assert created.count() == 30 and set(created.values_list("history_user_id", flat=True)) == {staff_a.pk}
    assert sorted(created.values_list("full_name", flat=True)) == sorted(people.values_list("full_name", flat=True))

    people.filter(pk__in=people.order_by("pk").values("pk")[:10]).update(position="Trưởng phòng")
    services.member_import(
        content=member_xlsx(province, 30), file_name="b.xlsx", province_id=province.pk, actor=staff_a
    )
    changed = Person.history.filter(history_type="~", history_user_id=staff_a.pk)
    assert changed.count() == 10 and set(changed.values_list("position", flat=True)) == {"Phó Giám đốc"}
