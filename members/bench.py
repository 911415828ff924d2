"""``make bench`` figures for members: importing a 5,000-row .xlsx member list."""

from __future__ import annotations

import time
from collections.abc import Iterator

import tablib
from django.db import transaction

from members.models import Category, Person
from members.resources import COLUMNS, PersonResource
from networks.models import Commune, Province

ROWS = 5000


def member_rows(province: Province, n: int = ROWS) -> list[list[object]]:
    """``n`` fictitious member rows for ``province``: real ward names, valid phones in the
    three ways people write them, labels as staff type them."""
    communes = list(Commune.objects.filter(province=province).values_list("name", flat=True))
    categories = [str(c.label) for c in Category]
    ethnicities = ["Kinh", "Tày", "Thái", "Mường", "Nùng", "Dao"]
    rows = []
    for i in range(n):
        number = f"9{i:08d}"
        phone = (f"0{number[:3]} {number[3:6]} {number[6:]}", f"+84 {number}", f"84{number}")[i % 3]
        rows.append(
            [
                f"Nguyễn Thị Thử Nghiệm {i}",
                1965 + i % 35,
                ethnicities[i % len(ethnicities)],
                phone,
                f"member{i}@example.org",
                f"Sở Thử nghiệm {i % 40}",
                "Phó Giám đốc",
                categories[i % len(categories)],
                communes[i % len(communes)],
                "có" if i % 7 == 0 else "",
            ]
        )
    return rows


def member_xlsx(province: Province, n: int = ROWS) -> bytes:
    dataset = tablib.Dataset(headers=list(COLUMNS.values()))
    for row in member_rows(province, n):
        dataset.append(row)
    return dataset.export("xlsx")


def bench_member_import() -> Iterator[tuple[str, float, str]]:
    """Import 5,000 rows from .xlsx (10% of them already known, matched by phone and
    updated), against a raw bulk_create of the same rows; then one bad row among 5,000."""
    province = Province.objects.get(codename="hung_yen")
    content = member_xlsx(province)
    # 500 people already on file: their rows must update them, not duplicate them.
    resource = PersonResource(province_id=province.pk)
    head = tablib.Dataset(headers=list(COLUMNS.values()))
    for row in member_rows(province, 500):
        head.append(row)
    resource.import_data(head)
    assert Person.objects.filter(province=province).count() == 500

    started = time.perf_counter()
    dataset = tablib.Dataset().load(content, format="xlsx")
    result = PersonResource(province_id=province.pk).import_data(dataset)
    elapsed = time.perf_counter() - started
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows[:1]
    assert result.totals["update"] == 500 and result.totals["new"] == ROWS - 500, result.totals
    assert Person.objects.filter(province=province).count() == ROWS
    yield "member_import_5000_xlsx", elapsed, "s"

    rows = [dict(zip(COLUMNS, r, strict=True)) for r in member_rows(province)]
    started = time.perf_counter()
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(
                    province=province,
                    full_name=r["full_name"],
                    year_of_birth=r["year_of_birth"],
                    ethnicity=r["ethnicity"],
                    email=r["email"],
                    organisation=r["organisation"],
                    position=r["position"],
                )
                for r in rows
            ]
        )
        yield "member_bulk_create_5000", time.perf_counter() - started, "s"
        transaction.set_rollback(True)

    # One bad ward among 5,000 new rows: nothing is imported, the row and column are named.
    Person.objects.all().delete()
    dataset = tablib.Dataset().load(content, format="xlsx")
    dataset[4321] = (*dataset[4321][:8], "Phường Không Tồn Tại", dataset[4321][9])
    started = time.perf_counter()
    result = PersonResource(province_id=province.pk).import_data(dataset)
    elapsed = time.perf_counter() - started
    messages = [m for row in result.invalid_rows for errs in row.error_dict.values() for m in errs]
    assert Person.objects.count() == 0 and len(messages) == 1, messages
    assert "4323" in messages[0] and COLUMNS["commune"] in messages[0], messages
    yield "member_import_5000_one_bad_row_imported_rows", Person.objects.count(), "rows"
    yield "member_import_5000_one_bad_row", elapsed, "s"


BENCHMARKS = [bench_member_import]
