"""``make bench`` figures for members: importing a 5,000-row .xlsx member list."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Iterator

import tablib
from django.db import transaction

from members import services
from members.importer import FIELD_LABEL, PROFILE_FIELDS
from members.models import Category, Person
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


COLUMNS = {name: FIELD_LABEL[name] for name in PROFILE_FIELDS}


def member_xlsx(province: Province, n: int = ROWS) -> bytes:
    dataset = tablib.Dataset(headers=list(COLUMNS.values()))
    for row in member_rows(province, n):
        dataset.append(row)
    return dataset.export("xlsx")


def _rss_mb() -> float:
    """The process's resident memory now, in MB (Linux)."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def bench_member_import() -> Iterator[tuple[str, float, str]]:
    """Import 5,000 rows from .xlsx (10% of them already known, matched by phone and
    updated) — read, checked, planned under the province lock and written — against a raw
    bulk_create of the same rows; then one bad row among 5,000."""
    province = Province.objects.get(codename="hung_yen")
    content = member_xlsx(province)
    # 500 people already on file: their rows must update them, not duplicate them.
    services.member_import(
        content=member_xlsx(province, 500), file_name="head.xlsx", province_id=province.pk, actor=None
    )
    assert Person.objects.filter(province=province).count() == 500
    # Their stored position differs, so each of the 500 rows is a real update.
    Person.objects.filter(province=province).update(position="Trưởng phòng")

    started = time.perf_counter()
    plan = services.member_import(content=content, file_name="members.xlsx", province_id=province.pk, actor=None)
    elapsed = time.perf_counter() - started
    assert not plan.errors, plan.errors[:1]
    assert plan.totals["update"] == 500 and plan.totals["new"] == ROWS - 500, plan.totals
    assert Person.objects.filter(province=province).count() == ROWS
    yield "member_import_5000_xlsx", elapsed, "s"

    rows = [dict(zip(COLUMNS, r, strict=True)) for r in member_rows(province)]
    with transaction.atomic():
        Person.objects.all().delete()
        started = time.perf_counter()
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
    bad = dataset.export("xlsx")
    started = time.perf_counter()
    plan = services.member_import(content=bad, file_name="bad.xlsx", province_id=province.pk, actor=None)
    elapsed = time.perf_counter() - started
    assert Person.objects.count() == 0 and len(plan.errors) == 1, plan.errors[:3]
    assert "4323" in plan.errors[0] and COLUMNS["commune"] in plan.errors[0], plan.errors
    yield "member_import_5000_one_bad_row_imported_rows", Person.objects.count(), "rows"
    yield "member_import_5000_one_bad_row", elapsed, "s"


def zip_bomb_xlsx(uncompressed_mb: int = 2048) -> bytes:
    """An .xlsx whose sheet unpacks to ``uncompressed_mb`` MB of rows (about 2 MB packed
    for 2 GB), the kind that held 2 GB of server memory before the importer checked it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet><dimension ref="A1:A2"/><sheetData>')
            chunk = b"<row><c><v>1</v></c></row>" * 40_000
            for _ in range(uncompressed_mb * 1024 * 1024 // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def bench_import_limits() -> Iterator[tuple[str, float, str]]:
    """A 2 GB zip bomb is refused before parsing (time and memory growth while refusing),
    and a 50,000-row file (the most a file may hold) is previewed."""
    from members.importer import ImportFileError

    province = Province.objects.get(codename="hung_yen")
    bomb = zip_bomb_xlsx()
    rss_before = _rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        services.member_import(content=bomb, file_name="bomb.xlsx", province_id=province.pk, actor=None)
    except ImportFileError:
        pass
    else:  # pragma: no cover
        raise AssertionError("the zip bomb was not refused")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    yield "import_zip_bomb_refused", elapsed, "s"
    yield "import_zip_bomb_packed_size", len(bomb) / 1024, "KB"
    yield "import_zip_bomb_memory_growth_traced", peak / (1024 * 1024), "MB"
    yield "import_zip_bomb_memory_growth_rss", max(0.0, _rss_mb() - rss_before), "MB"

    from portal.models import User

    user = User.objects.create(email="bench-import@example.org", role="central")
    content = member_xlsx(province, 50_000)
    Person.objects.filter(province=province).delete()
    services.member_import(
        content=member_xlsx(province, 5000), file_name="head.xlsx", province_id=province.pk, actor=None
    )
    started = time.perf_counter()
    plan, preview = services.import_preview_create(
        content=content, file_name="big.xlsx", province_id=province.pk, actor=user
    )
    elapsed = time.perf_counter() - started
    assert preview is not None and not plan.errors, plan.errors[:3]
    assert plan.totals["new"] == 45_000 and plan.totals["unchanged"] == 5000, plan.totals
    yield "import_50000_rows_preview", elapsed, "s"
    services.import_previews_cleanup(now=preview.expires_at + services.IMPORT_FILE_MAX_AGE)


BENCHMARKS = [bench_member_import, bench_import_limits]
