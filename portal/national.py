"""``make bench-national``: national data in PostgreSQL, page timings and a load test.

Seeds (once; fictitious) 10,200 people in 34 networks (one per province), 680 events of
which 306 trainings, ~177,000 attendances, one national needs survey answered by every
member and pre/post surveys for every training (~1.7 M answers) with PostgreSQL ``COPY``;
then prints, as ``name: value unit`` lines, single-request timings and query counts for
every list and figure page, a load test per page (gunicorn on a loopback port, 50 users,
``LOAD_SECONDS`` each) next to the login page's rate in the same run, and the 34-network
donor report rendered by a real worker pool (4 processes) with the peak memory of each.
"""

from __future__ import annotations

import io
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from http.client import HTTPConnection
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Max

NETWORKS = 34
PEOPLE_PER_NETWORK = 300
EVENTS_PER_NETWORK = 20
TRAININGS_PER_NETWORK = 9
ATTENDEES_PER_EVENT = 260
NAME = "Mạng lưới quốc gia"  # prefix of the seeded networks: their presence means "seeded"
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Thanh", "Thị Kim"]
GIVEN = ["Hoa", "Lan", "Mai", "Hương", "Hạnh", "Linh", "Trang", "Thảo", "Nga", "Yến", "Phương", "Hằng", "Dung"]
ETHNICITIES = ["Kinh"] * 8 + ["Tày", "Thái", "Mường", "Khmer", "Ê Đê", "Ba Na"]


# --- COPY ---------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n").replace("\r", " ")


def copy_rows(model: type[models.Model], rows: Iterable[dict[str, Any]], *, first_id: int) -> int:
    """COPY ``rows`` (dicts of attribute names, e.g. ``province_id``) into ``model``'s table
    with ids from ``first_id``; other columns get the field's default. Returns the count."""
    fields = list(model._meta.concrete_fields)
    buffer = io.StringIO()
    count = 0
    defaults = {f.attname: f for f in fields if f.has_default() and not callable(f.default)}
    callables = {f.attname: f for f in fields if f.has_default() and callable(f.default)}
    for n, row in enumerate(rows):
        values = []
        for f in fields:
            if f.primary_key:
                values.append(str(first_id + n))
            elif f.attname in row:
                values.append(_text(row[f.attname]))
            elif f.attname in defaults:
                values.append(_text(defaults[f.attname].get_default()))
            elif f.attname in callables:
                values.append(_text(callables[f.attname].get_default()))
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                values.append(_text(datetime.now(UTC)))
            elif f.null:
                values.append("\\N")
            else:
                values.append("")
        buffer.write("\t".join(values) + "\n")
        count += 1
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN", buffer)
        table = model._meta.db_table  # a model's own table name, not user input
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))",  # noqa: S608
            [table],
        )
    return count


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


# --- seeding ------------------------------------------------------------------------------


def seed(out: Any = print) -> dict[str, Any]:  # noqa: C901, PLR0915 - one straight script
    """Seed the national data set once; return the ids the measurements need."""
    from events.models import Attendance, Event, Invitation
    from members.models import Category, Membership, Person, search_key
    from networks.models import Commune, Network, Province
    from surveys.aggregates import results_rebuild
    from surveys.models import Answer, Deployment, Question, Response, SurveyTemplate
    from surveys.shipped import load_shipped_templates

    if connection.vendor != "postgresql":
        raise SystemExit("make bench-national needs PostgreSQL: set DATABASE_URL=postgres://…")
    existing = list(Network.objects.filter(name__startswith=NAME).order_by("pk"))
    if len(existing) == NETWORKS:
        out("seed: national data already present")
        return _ids(existing)
    started = time.monotonic()
    rng = random.Random(13)  # noqa: S311 - fictitious data, reproducible
    load_shipped_templates()
    provinces = list(Province.objects.order_by("code")[:NETWORKS])
    communes: dict[int, list[int]] = {}
    for province_id, commune_id in Commune.objects.order_by("province_id", "code").values_list("province_id", "pk"):
        communes.setdefault(province_id, []).append(commune_id)
    networks = Network.objects.bulk_create(
        [Network(province=p, name=f"{NAME} {p.name}", status=Network.Status.ACTIVE) for p in provinces]
    )
    now = datetime.now(UTC)
    categories = [c for c, _ in Category.choices]

    person_id = _next_id(Person)
    people: dict[int, list[int]] = {}
    person_rows = []
    for network in networks:
        ids = []
        for i in range(PEOPLE_PER_NETWORK):
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {network.pk}-{i}"
            organisation = f"Sở {rng.choice(['Tài chính', 'Y tế', 'Giáo dục', 'Công thương', 'Nội vụ'])}"
            person_rows.append(
                {
                    "province_id": network.province_id,
                    "full_name": name,
                    "year_of_birth": rng.randint(1962, 2000),
                    "ethnicity": rng.choice(ETHNICITIES),
                    "category": categories[i % len(categories)],
                    "organisation": organisation,
                    "commune_id": rng.choice(communes.get(network.province_id) or [None]),
                    "is_young_potential_leader": i % 7 == 0,
                    "search_text": search_key(name, organisation),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            ids.append(person_id + len(person_rows) - 1)
        people[network.pk] = ids
    copy_rows(Person, person_rows, first_id=person_id)
    copy_rows(
        Membership,
        (
            {
                "network_id": n,
                "person_id": p,
                "status": "member",
                "joined_on": date(2024, 3, 8),
                "status_changed_at": now,
            }
            for n, ids in people.items()
            for p in ids
        ),
        first_id=_next_id(Membership),
    )
    out(f"seed: people and members {time.monotonic() - started:.1f} s")

    event_id = _next_id(Event)
    event_rows, links, trainings = [], [], []
    start = datetime(2025, 1, 6, 1, tzinfo=UTC)
    for network in networks:
        for i in range(EVENTS_PER_NETWORK):
            kind = (
                "training" if i < TRAININGS_PER_NETWORK else rng.choice(["workshop", "launch", "evaluation", "other"])
            )
            begins = start + timedelta(days=17 * i + network.pk % 7)
            eid = event_id + len(event_rows)
            event_rows.append(
                {
                    "title": f"{'Tập huấn' if kind == 'training' else 'Sự kiện'} {i + 1} — {network.name}",
                    "kind": kind,
                    "starts_at": begins,
                    "ends_at": begins + timedelta(hours=8),
                    "duration_days": Decimal("1.0"),
                    "status": Event.Status.HELD,
                    "checkin_token": secrets.token_urlsafe(12),
                }
            )
            links.append((eid, network.pk))
            if kind == "training":
                trainings.append((eid, network.pk, begins))
    copy_rows(Event, event_rows, first_id=event_id)
    through = Event.networks.through
    copy_rows(through, ({"event_id": e, "network_id": n} for e, n in links), first_id=_next_id(through))
    invitation_id = _next_id(Invitation)
    invitation_rows, attendance_rows = [], []
    attendees: dict[int, list[int]] = {}
    for eid, nid in links:
        ids = people[nid]
        present = set(rng.sample(range(len(ids)), ATTENDEES_PER_EVENT))
        attendees[eid] = [ids[k] for k in sorted(present)]
        for k, pid in enumerate(ids):
            iid = invitation_id + len(invitation_rows)
            invitation_rows.append(
                {
                    "event_id": eid,
                    "person_id": pid,
                    "is_member": True,
                    "status": "accepted" if k in present else "invited",
                    "token": uuid.uuid4().hex,
                    "invited_at": now,
                }
            )
            if k in present:
                attendance_rows.append(
                    {
                        "event_id": eid,
                        "person_id": pid,
                        "invitation_id": iid,
                        "is_member": True,
                        "method": "staff",
                        "checked_in_at": now,
                    }
                )
    copy_rows(Invitation, invitation_rows, first_id=invitation_id)
    copy_rows(Attendance, attendance_rows, first_id=_next_id(Attendance))
    out(f"seed: events, invitations and {len(attendance_rows)} attendances {time.monotonic() - started:.1f} s")

    needs = SurveyTemplate.objects.filter(kind="needs").order_by("-version").first()
    prepost = SurveyTemplate.objects.filter(family="training-pre-post").order_by("-version").first()
    questions = {
        t.pk: list(Question.objects.filter(template=t).prefetch_related("options").order_by("order", "pk"))
        for t in (needs, prepost)
    }
    deployment_id = _next_id(Deployment)
    deployment_rows = [
        {
            "template_id": needs.pk,
            "opens_at": datetime(2025, 1, 1, tzinfo=UTC),
            "closes_at": datetime(2025, 12, 31, tzinfo=UTC),
            "token": secrets.token_urlsafe(8),
            "created_at": now,
        }
    ]
    plans: list[tuple[int, int, list[int], str]] = [(deployment_id, needs.pk, [], "")]
    for eid, _nid, begins in trainings:
        for phase in ("pre", "post"):
            did = deployment_id + len(deployment_rows)
            deployment_rows.append(
                {
                    "template_id": prepost.pk,
                    "event_id": eid,
                    "phase": phase,
                    "opens_at": begins - timedelta(days=3),
                    "closes_at": begins + timedelta(days=3),
                    "token": secrets.token_urlsafe(8),
                    "created_at": now,
                }
            )
            plans.append((did, prepost.pk, attendees[eid], phase))
    copy_rows(Deployment, deployment_rows, first_id=deployment_id)
    reach = Deployment.networks.through
    copy_rows(
        reach,
        [{"deployment_id": deployment_id, "network_id": n.pk} for n in networks]
        + [
            {"deployment_id": did, "network_id": nid}
            for (did, _t, _a, _p), (_e, nid, _b) in zip(plans[1::2], trainings, strict=True)
        ]
        + [
            {"deployment_id": did, "network_id": nid}
            for (did, _t, _a, _p), (_e, nid, _b) in zip(plans[2::2], trainings, strict=True)
        ],
        first_id=_next_id(reach),
    )
    person_dims = {
        pid: (province, network_id, category, ethnicity)
        for pid, province, network_id, category, ethnicity in Membership.objects.filter(
            network__in=networks
        ).values_list("person_id", "person__province_id", "network_id", "person__category", "person__ethnicity")
    }
    response_id = _next_id(Response)
    answer_id = _next_id(Answer)
    response_buffer: list[dict[str, Any]] = []
    answer_buffer: list[dict[str, Any]] = []
    total_answers = 0

    def flush() -> None:
        nonlocal answer_id, total_answers
        copy_rows(Response, response_buffer, first_id=response_id - len(response_buffer))
        copy_rows(Answer, answer_buffer, first_id=answer_id)
        answer_id += len(answer_buffer)
        total_answers += len(answer_buffer)
        response_buffer.clear()
        answer_buffer.clear()

    everyone = [p for ids in people.values() for p in ids]
    for did, template_id, respondents, phase in plans:
        boost = 1 if phase == "post" else 0
        for pid in respondents or everyone:
            province_id, network_id, category, ethnicity = person_dims[pid]
            response_buffer.append(
                {
                    "deployment_id": did,
                    "person_id": pid,
                    "respondent_key": f"person:{pid}",
                    "status": "submitted",
                    "source": "online",
                    "province_id": province_id,
                    "network_id": network_id,
                    "category": category,
                    "ethnicity": ethnicity,
                    "started_at": now,
                    "submitted_at": now,
                }
            )
            rid = response_id
            response_id += 1
            for q in questions[template_id]:
                options = list(q.options.all())
                if q.show_if_option_id:
                    continue
                if q.kind == "single" and options:
                    correct = [o for o in options if o.is_correct]
                    pick = correct[0] if correct and rng.random() < 0.5 + 0.3 * boost else rng.choice(options)
                    answer_buffer.append({"response_id": rid, "question_id": q.pk, "option_id": pick.pk, "text": ""})
                elif q.kind == "multiple" and options:
                    for o in rng.sample(options, min(2, len(options))):
                        answer_buffer.append({"response_id": rid, "question_id": q.pk, "option_id": o.pk, "text": ""})
                elif q.kind in ("scale", "number"):
                    low, high = (q.scale_min, q.scale_max) if q.kind == "scale" else (0, 20)
                    value = min(high, rng.randint(low, high) + boost * rng.randint(0, 1))
                    answer_buffer.append({"response_id": rid, "question_id": q.pk, "number": value, "text": ""})
                elif rng.random() < 0.7:
                    answer_buffer.append(
                        {"response_id": rid, "question_id": q.pk, "text": "Mong được học thêm kỹ năng lãnh đạo."}
                    )
            if len(answer_buffer) > 200_000:
                flush()
    flush()
    responses = sum(len(r or everyone) for _d, _t, r, _p in plans)
    out(f"seed: {responses} responses, {total_answers} answers {time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for did, _t, _a, _p in plans:
        results_rebuild(deployment_id=did)
    out(f"seed: survey aggregates built {time.monotonic() - started:.1f} s")
    return _ids(networks)


def _ids(networks: list[Any]) -> dict[str, Any]:
    from events.models import Event
    from surveys.models import Deployment

    needs = Deployment.objects.filter(template__kind="needs", networks__in=networks).order_by("pk").first()
    training = Event.objects.filter(networks=networks[0], kind="training").order_by("pk").first()
    return {"networks": [n.pk for n in networks], "needs": needs, "training": training}


# --- measuring ----------------------------------------------------------------------------


def _users(networks: list[int]) -> dict[str, Any]:
    from networks.models import Network
    from portal.models import User
    from portal.roles import Role

    central, _ = User.objects.get_or_create(
        email="national.central@example.org", defaults={"role": Role.CENTRAL_STAFF, "is_active": True}
    )
    network = Network.objects.get(pk=networks[0])
    provincial, _ = User.objects.get_or_create(
        email="national.province@example.org",
        defaults={"role": Role.PROVINCIAL_STAFF, "province_id": network.province_id, "is_active": True},
    )
    for user in (central, provincial):
        user.set_password("national-bench-2026")
        user.save()
    return {"central": central, "provincial": provincial}


def pages(ids: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(name, user, path) for every list and figure page."""
    from django.urls import reverse

    network = ids["networks"][0]
    needs = ids["needs"]
    return [
        ("survey_results", "central", reverse("surveys:results", args=[needs.pk])),
        ("survey_results_province", "provincial", reverse("surveys:results", args=[needs.pk])),
        ("province_comparison", "central", reverse("surveys:comparison", args=[needs.template_id])),
        ("prepost", "central", reverse("surveys:prepost", args=[ids["training"].pk])),
        ("dashboard", "central", reverse("members:dashboard")),
        ("member_list", "central", reverse("members:list")),
        ("member_search", "central", reverse("members:list") + "?q=nguyen+thi+hoa"),
        ("member_search_province", "provincial", reverse("members:list") + "?q=nguyen+thi+hoa"),
        ("pipeline", "central", reverse("members:pipeline")),
        ("event_list", "central", reverse("events:list")),
        ("attendance_by_member", "central", reverse("events:attendance_by_member")),
        ("network_page", "central", reverse("networks:detail", args=[network])),
        ("survey_list", "central", reverse("surveys:list")),
    ]


def single_requests(ids: dict[str, Any], users: dict[str, Any], out: Any = print) -> None:
    """Median of 5 warm requests and the query count of one, per page."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
    for name, role, path in pages(ids):
        client = clients[role]
        first = time.perf_counter()
        response = client.get(path)
        cold = time.perf_counter() - first
        assert response.status_code == 200, (name, response.status_code)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - t)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        out(f"page_{name}_ms: {statistics.median(times) * 1000:.1f} ms")
        out(f"page_{name}_first_ms: {cold * 1000:.1f} ms")
        out(f"page_{name}_queries: {len(ctx.captured_queries)} queries")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie(email: str) -> str:
    """A session for ``email`` (made here, valid for the server: same database and secret)."""
    from django.test import Client

    from portal.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _load(port: int, path: str, cookie: str, users: int, seconds: float) -> tuple[float, float, int]:
    """``users`` threads requesting ``path`` for ``seconds``; (requests/s, p95 ms, errors)."""
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def user() -> None:
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad = [], 0
        while time.monotonic() < stop:
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                conn.close()
                conn = HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - t)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=user) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    return len(latencies) / elapsed, p95, errors[0]


def server_environment(port: int) -> dict[str, str]:
    """The environment of the load test's server: production settings (``DEBUG=false``)
    on a loopback port, with the sessions made here valid there."""
    environment = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost"}
    environment["SECRET_KEY"] = settings.SECRET_KEY  # the sessions made here must be valid there
    # Production settings refuse the example survey key; the bench server gets its own.
    environment["SURVEY_KEY"] = f"bench-national-survey-key-{secrets.token_urlsafe(48)}"
    environment["SITE_URL"] = f"http://127.0.0.1:{port}"
    environment["SECURE_SSL_REDIRECT"] = "false"
    return environment


def collect_static(environment: dict[str, str]) -> None:
    """``collectstatic`` with the server's own settings. Production settings serve static
    files through a hashed manifest, which a ``collectstatic`` run with the development
    settings does not write: every page then answered 500 ("Missing staticfiles manifest
    entry"), and the load test measured error pages."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, env=environment, check=True, cwd=settings.BASE_DIR)  # noqa: S603


def load_test(ids: dict[str, Any], users: dict[str, Any], out: Any = print) -> None:
    """gunicorn (3 workers, 4 threads) on a loopback port; 50 users per page. A page that
    does not answer 200 to a first request is reported, not measured."""
    port = _free_port()
    seconds = float(os.environ.get("LOAD_SECONDS", "10"))
    warmup = float(os.environ.get("LOAD_WARMUP_SECONDS", "2"))
    concurrency = int(os.environ.get("LOAD_USERS", "50"))
    environment = server_environment(port)
    collect_static(environment)
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"]
    command += ["--threads", "4", "--timeout", "60", "--log-level", "warning"]
    server = subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        cookies = {role: _session_cookie(user.email) for role, user in users.items()}
        measured = [("baseline", "/accounts/login/", "")]
        measured += [(name, path, cookies[role]) for name, role, path in pages(ids)]
        for name, path, cookie in measured:
            status = _status(port, path, cookie)
            if status != 200:
                out(f"load_{name}_first_status: HTTP {status} (not measured; see the server's log)")
                continue
            # Warm every server process first (imports, templates, connections): the
            # first page measured, the baseline, otherwise paid for the cold start.
            _load(port, path, cookie, concurrency, warmup)
            rps, p95, errors = _load(port, path, cookie, concurrency, seconds)
            out(f"load_{name}_rps: {rps:.1f} requests/s")
            out(f"load_{name}_p95_ms: {p95:.0f} ms")
            if errors:
                out(f"load_{name}_errors: {errors} responses")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _status(port: int, path: str, cookie: str) -> int:
    conn = HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def donor_report(ids: dict[str, Any], users: dict[str, Any], out: Any = print) -> None:
    """The 34-network donor report on a real pool of 4 worker processes (Redis when set,
    the file queue otherwise): seconds from request to done and each process's peak memory."""
    from reports.services import report_request

    data_dir = settings.BASE_DIR / "var" / "bench-national-celery"
    environment = {**os.environ, "CELERY_DATA_DIR": str(data_dir)}
    if not settings.REDIS_URL:
        environment["CELERY_EMBEDDED"] = "true"
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "-c", "4", "-l", "warning"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "national@%h"]
    worker = subprocess.Popen(command, env=environment, start_new_session=True)  # noqa: S603
    try:
        time.sleep(8)  # the pool starts
        from celery import current_app

        if not settings.REDIS_URL:
            for folder in ("queue", "processed", "results", "control"):
                (data_dir / folder).mkdir(parents=True, exist_ok=True)
            current_app.conf.broker_url = "filesystem://"
            current_app.conf.broker_transport_options = {
                "data_folder_in": str(data_dir / "queue"),
                "data_folder_out": str(data_dir / "queue"),
                "processed_folder": str(data_dir / "processed"),
                "control_folder": str(data_dir / "control"),
                "store_processed": False,
            }
        current_app.conf.task_always_eager = False
        from networks.models import Network

        started = time.monotonic()
        report = report_request(
            user=users["central"],
            kind="donor",
            networks=list(Network.objects.filter(pk__in=ids["networks"])),
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            language="en",
        )
        queued = time.monotonic() - started
        while report.status not in ("done", "failed") and time.monotonic() - started < 900:
            time.sleep(0.5)
            report.refresh_from_db()
        elapsed = time.monotonic() - started
        peaks = _peak_mb(worker.pid)
        out(f"donor_report_national_34_request: {queued * 1000:.0f} ms")
        out(f"donor_report_national_34: {elapsed:.1f} s ({report.status}{': ' + report.error if report.error else ''})")
        if report.pdf:
            from pypdf import PdfReader

            out(f"donor_report_national_34_pages: {len(PdfReader(io.BytesIO(bytes(report.pdf))).pages)} pages")
        out(f"donor_report_national_34_peak_mb: {max(peaks) if peaks else float('nan'):.0f} MB")
        out(f"donor_report_national_34_worker_peaks_mb: {' '.join(f'{p:.0f}' for p in peaks)} MB")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def _peak_mb(parent: int) -> list[float]:
    """VmHWM (peak resident memory) of the worker's pool processes, in MB."""
    peaks = []
    for pid in _children(parent):
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peaks


def _children(parent: int) -> Iterator[int]:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            yield int(entry)
