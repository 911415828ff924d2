"""``make bench`` figures for members: importing a 5,000-row .xlsx member list."""

from __future__ import annotations

import io
import time
import tracemalloc
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import tablib
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def _staff_client() -> tuple[Client, Any]:
    """A browser signed in as central staff (who choose the province of each file)."""
    from portal.models import User

    user = User.objects.filter(email="bench-import@example.org").first() or User.objects.create(
        email="bench-import@example.org", role="central"
    )
    client = Client()
    client.force_login(user)
    return client, user


@contextmanager
def _as_served() -> Iterator[list[str]]:
    """Requests as production serves them (``DEBUG`` off: no query log, whose SQLite
    quoting of every parameter would weigh on bulk inserts), their queries counted by
    an execute wrapper: the list gets each statement run (``executemany`` counts once)."""
    from django.test import override_settings

    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with override_settings(DEBUG=False), connection.execute_wrapper(count), warnings.catch_warnings():
        # WhiteNoise's note that ``collectstatic`` has not run (no static files are served here).
        warnings.filterwarnings("ignore", message="No directory at")
        yield statements


def import_by_browser(
    browser: tuple[Client, Any], content: bytes, *, province: Province, name: str = "members.xlsx", confirm: bool = True
) -> dict[str, Any]:
    """The two web requests of an import, as staff make them: upload (read, check and
    preview: nothing saved) and, when the preview allows it and ``confirm``, the Import
    button (read and planned again under the province lock, then written). Returns the
    page of the upload, the preview's totals (None when the file was refused or has
    errors), and the time and queries of each request."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import ImportPreview

    client, user = browser
    result: dict[str, Any] = {}
    before = set(ImportPreview.objects.filter(created_by=user).values_list("pk", flat=True))
    with _as_served() as queries:
        started = time.perf_counter()
        response = client.post(
            reverse("members:import"), {"file": SimpleUploadedFile(name, content), "province": province.pk}
        )
        result["preview_s"] = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    result["preview_queries"] = len(queries)
    result["page"] = response.content.decode()
    preview = ImportPreview.objects.filter(created_by=user).exclude(pk__in=before).first()
    result["totals"] = preview.summary["totals"] if preview else None
    if confirm and preview is not None:
        with _as_served() as queries:
            started = time.perf_counter()
            done = client.post(reverse("members:import_confirm"), {"preview": preview.pk})
            result["confirm_s"] = time.perf_counter() - started
        assert done.status_code == 302 and done["Location"] == reverse("members:list"), done.status_code
        result["confirm_queries"] = len(queries)
    return result


def bench_member_import() -> Iterator[tuple[str, float, str]]:
    """Import 5,000 rows from .xlsx (10% of them already known, matched by phone and
    updated) the way staff do it in the browser: the upload request (read, checked,
    previewed) and the Import request (read and planned again under the province lock,
    then written); against a raw bulk_create of the same rows; then one bad row among
    5,000, refused at the preview."""
    province = Province.objects.get(codename="hung_yen")
    content = member_xlsx(province)
    # 500 people already on file: their rows must update them, not duplicate them.
    services.member_import(
        content=member_xlsx(province, 500), file_name="head.xlsx", province_id=province.pk, actor=None
    )
    assert Person.objects.filter(province=province).count() == 500
    # Their stored position differs, so each of the 500 rows is a real update.
    Person.objects.filter(province=province).update(position="Trưởng phòng")

    browser = _staff_client()
    result = import_by_browser(browser, content, province=province)
    totals = result["totals"]
    assert totals is not None, result["page"][:3000]
    assert totals["update"] == 500 and totals["new"] == ROWS - 500, totals
    assert Person.objects.filter(province=province).count() == ROWS
    yield "member_import_5000_xlsx", result["preview_s"] + result["confirm_s"], "s"
    yield "member_import_5000_xlsx_preview", result["preview_s"], "s"
    yield "member_import_5000_xlsx_preview_queries", result["preview_queries"], "queries"
    yield "member_import_5000_xlsx_confirm", result["confirm_s"], "s"
    yield "member_import_5000_xlsx_confirm_queries", result["confirm_queries"], "queries"

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
    result = import_by_browser(browser, bad, province=province, name="bad.xlsx")
    assert result["totals"] is None and Person.objects.count() == 0
    assert "4323" in result["page"] and "Phường Không Tồn Tại" in result["page"]
    yield "member_import_5000_one_bad_row_imported_rows", Person.objects.count(), "rows"
    yield "member_import_5000_one_bad_row", result["preview_s"], "s"


def zip_bomb_xlsx(uncompressed_mb: int = 2048) -> bytes:
    """An .xlsx whose sheet unpacks to ``uncompressed_mb`` MB of rows (about 5 MB packed
    for 2 GB), the kind that held 2 GB of server memory before the importer checked it.
    Also used by the importer's tests."""
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
    province = Province.objects.get(codename="hung_yen")
    bomb = zip_bomb_xlsx()
    browser = _staff_client()
    rss_before = _rss_mb()
    tracemalloc.start()
    started = time.perf_counter()
    result = import_by_browser(browser, bomb, province=province, name="bomb.xlsx")
    elapsed = time.perf_counter() - started
    assert result["totals"] is None and "80 MB" in result["page"], result["page"][:3000]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    yield "import_zip_bomb_refused", elapsed, "s"
    yield "import_zip_bomb_packed_size", len(bomb) / 1024, "KB"
    yield "import_zip_bomb_memory_growth_traced", peak / (1024 * 1024), "MB"
    yield "import_zip_bomb_memory_growth_rss", max(0.0, _rss_mb() - rss_before), "MB"
    yield "import_zip_bomb_response_size", len(result["page"].encode()) / 1024, "KB"

    content = member_xlsx(province, 50_000)
    Person.objects.filter(province=province).delete()
    services.member_import(
        content=member_xlsx(province, 5000), file_name="head.xlsx", province_id=province.pk, actor=None
    )
    result = import_by_browser(browser, content, province=province, name="big.xlsx", confirm=False)
    totals = result["totals"]
    assert totals is not None, result["page"][:3000]
    assert totals["new"] == 45_000 and totals["unchanged"] == 5000, totals
    yield "import_50000_rows_preview", result["preview_s"], "s"
    yield "import_50000_rows_preview_queries", result["preview_queries"], "queries"
    services.import_previews_cleanup(now=timezone.now() + services.IMPORT_PREVIEW_TTL + services.IMPORT_FILE_MAX_AGE)


BENCHMARKS = [bench_member_import, bench_import_limits]
