"""Two imports of overlapping files into one province at the same moment, in two real
processes on PostgreSQL: one person per phone, and the unique constraint in place."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from members.bench import member_xlsx
from members.models import Person

SCRIPT = """
import os, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()
from members import services
content = open(sys.argv[1], "rb").read()
start = float(sys.argv[3])
while time.time() < start:
    time.sleep(0.005)
plan = services.member_import(content=content, file_name="f.xlsx", province_id=int(sys.argv[2]), actor=None)
print(plan.totals["new"], plan.totals["update"] + plan.totals["unchanged"], len(plan.errors))
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks across processes)")
def test_two_processes_importing_overlapping_files_create_each_person_once(province_a, tmp_path: Path):
    import tablib

    everyone = tablib.Dataset().load(member_xlsx(province_a, 4500), format="xlsx")
    first, second = tablib.Dataset(headers=everyone.headers), tablib.Dataset(headers=everyone.headers)
    for row in everyone[:3000]:
        first.append(row)
    for row in everyone[1500:]:
        second.append(row)
    paths = []
    for name, dataset in (("a.xlsx", first), ("b.xlsx", second)):
        path = tmp_path / name
        path.write_bytes(dataset.export("xlsx"))
        paths.append(path)

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    start = time.time() + 8  # both processes load Django, then start together
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", SCRIPT, str(path), str(province_a.pk), str(start)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in paths
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-3000:]
    results = sorted(tuple(int(x) for x in out.split()) for out, _err in outputs)
    # One import created its 3,000 people; the other found 1,500 of them and added 1,500.
    assert results == [(1500, 1500, 0), (3000, 0, 0)], results

    people = Person.objects.filter(province=province_a)
    assert people.count() == 4500
    assert people.values("phone").distinct().count() == 4500
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conname = 'unique_phone_per_province' "
            "UNION SELECT indexname FROM pg_indexes WHERE indexname = 'unique_phone_per_province'"
        )
        assert cursor.fetchall(), "the unique constraint is in place"
