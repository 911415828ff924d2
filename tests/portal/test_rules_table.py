"""Every permission question is a rule of ``portal.rules``: each rule moved there by
issue 9's follow-up is checked role by role against an object of province A (own
province) and of province B (another province: refused, a 404 on the page), and a scan
of the code fails when a view, form, service or template asks for a role directly again."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.models import Speaker
from portal.rules import RULES, may
from reports.models import QuarterlySubmission
from reports.services import quarter_open
from tests.factories import EventFactory
from tests.surveys.factories import deploy, full_template

pytestmark = pytest.mark.django_db

PERSONAS = ["central_staff", "staff_a", "staff_b", "board_member_a", "member_a", "donor_viewer"]


@pytest.fixture
def objects(network_a, network_b, province_a, province_b, central_staff):
    """Province A's objects of each kind (and the project-wide ``None``)."""
    due = timezone.localdate() + timedelta(days=3)
    subs = {s.network_id: s for s in quarter_open(user=central_staff, year=2026, quarter=3, due_on=due)}
    event_a = EventFactory(networks=[network_a])
    template = full_template(kind="needs", family="rules-table")
    return {
        "province": province_a,
        "network": network_a,
        "speaker": Speaker.objects.create(full_name="Nguyễn Văn Giảng", province=province_a),
        "shared_speaker": Speaker.objects.create(full_name="Trần Thị Chung"),
        "submission": subs[network_a.pk],
        "deployment": deploy(template, network=network_a),
        "anonymous_deployment": deploy(template, network=network_a, anonymous=True),
        "event": event_a,
        None: None,
    }


# rule, object, personas allowed (every other persona is refused).
TABLE = [
    ("choose_event_organiser", "province", {"central_staff", "staff_a"}),
    ("choose_event_organiser", None, {"central_staff"}),
    ("add_people_of_province", "province", {"central_staff", "staff_a", "board_member_a"}),
    ("skip_event_approval", None, {"central_staff", "staff_a", "staff_b"}),
    ("keep_shared_roster", None, {"central_staff"}),
    ("manage_speaker", "speaker", {"central_staff", "staff_a"}),
    ("manage_speaker", "shared_speaker", {"central_staff"}),
    ("import_members", "province", {"central_staff", "staff_a"}),
    ("import_for_any_province", None, {"central_staff"}),
    ("see_own_profile", None, {"member_a"}),
    ("list_deployments", None, {"central_staff", "staff_a", "staff_b"}),
    ("see_who_has_not_answered", "deployment", {"staff_a"}),
    ("see_who_has_not_answered", "anonymous_deployment", set()),
    ("report_nationally", None, {"central_staff"}),
    ("record_indicator_actual", "province", {"central_staff", "staff_a"}),
    ("record_indicator_actual", None, {"central_staff"}),
    ("see_quarterly_reports", None, {"central_staff", "staff_a", "staff_b"}),
    ("open_quarter", None, {"central_staff"}),
    ("submit_quarterly_report", "submission", {"central_staff", "staff_a"}),
    ("review_quarterly_report", "submission", {"central_staff"}),
    ("read_access_log", None, {"central_staff", "staff_a", "staff_b"}),
    ("manage_breaches", None, {"central_staff"}),
    ("manage_network", "network", {"central_staff", "staff_a"}),
    ("manage_event", "event", {"central_staff", "staff_a"}),
]


@pytest.mark.parametrize(("rule", "obj", "allowed"), TABLE, ids=[f"{r}-{o}" for r, o, _ in TABLE])
def test_each_role_against_an_object_of_her_own_and_of_another_province(request, objects, rule, obj, allowed):
    assert rule in RULES
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        assert may(user, rule, objects[obj]) == (persona in allowed), (rule, obj, persona)


# --- the pages: another province's object is a 404, the positive control passes ----------


def test_quarterly_report_of_another_province_is_404_and_only_central_reviews(
    client_for, objects, staff_a, staff_b, central_staff
):
    sub = objects["submission"]
    url = reverse("reports:quarterly_detail", args=[sub.pk])
    assert client_for(staff_b).get(url).status_code == 404
    assert client_for(staff_b).post(url, {"narrative": "Của tỉnh khác"}).status_code == 404
    assert client_for(staff_a).post(url, {"narrative": "Quý 3 của tỉnh A"}).status_code == 302
    sub.refresh_from_db()
    assert sub.status == QuarterlySubmission.Status.SUBMITTED
    page = client_for(staff_a).get(url)
    assert page.context["review_form"] is None, "provincial staff do not review"
    client_for(staff_a).post(url, {"decision": "accept", "comment": ""})
    sub.refresh_from_db()
    assert sub.status == QuarterlySubmission.Status.SUBMITTED
    assert client_for(central_staff).get(url).context["review_form"] is not None
    response = client_for(central_staff).post(url, {"decision": "accept", "comment": ""})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == QuarterlySubmission.Status.ACCEPTED


def test_only_central_staff_open_a_quarter_from_the_page(client_for, staff_a, central_staff, objects):
    url = reverse("reports:quarterly")
    assert client_for(staff_a).get(url).context["form"] is None
    assert client_for(staff_a).post(url, {"year": 2027, "quarter": 1}).status_code == 404
    assert not QuarterlySubmission.objects.filter(year=2027).exists()
    assert client_for(central_staff).post(url, {"year": 2027, "quarter": 1}).status_code == 302
    assert QuarterlySubmission.objects.filter(year=2027).exists()


@pytest.mark.parametrize("persona", ["member_a", "board_member_a", "donor_viewer"])
def test_the_quarterly_pages_do_not_exist_for_non_staff(request, client_for, objects, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reports:quarterly")).status_code == 404
    assert client.get(reverse("reports:quarterly_detail", args=[objects["submission"].pk])).status_code == 404


def test_another_provinces_speaker_is_404(client_for, objects, staff_a, staff_b):
    url = reverse("events:speaker_edit", args=[objects["speaker"].pk])
    assert client_for(staff_b).get(url).status_code == 404
    assert client_for(staff_a).get(url).status_code == 200
    shared = reverse("events:speaker_edit", args=[objects["shared_speaker"].pk])
    assert client_for(staff_a).get(shared).status_code == 404, "the shared roster is the Central Union's"


def test_the_importer_refuses_another_province(client_for, staff_a, province_b):
    """Provincial staff import into their own province only (the ``import_members`` rule),
    whatever the form says."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("ds.csv", "Họ và tên,Điện thoại\nLê Thị Một,0912345678\n".encode())
    from members.models import ImportPreview

    response = client_for(staff_a).post(reverse("members:import"), {"file": upload, "province": province_b.pk})
    assert response.status_code in (200, 404)
    assert not ImportPreview.objects.filter(province=province_b).exists()
    upload.seek(0)
    response = client_for(staff_a).post(reverse("members:import"), {"file": upload})
    assert response.status_code == 200, "positive control: her own province"
    assert response.context["province"].pk == staff_a.province_id


def test_the_importer_is_404_when_the_rule_refuses(client_for, staff_a, province_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.rules import Predicate

    kept = RULES["import_members"]
    RULES["import_members"] = Predicate(lambda u, o: False, "never")
    try:
        upload = SimpleUploadedFile("ds.csv", "Họ và tên,Điện thoại\nLê Thị Một,0912345678\n".encode())
        response = client_for(staff_a).post(reverse("members:import"), {"file": upload})
        assert response.status_code == 404, "the importer page asks the import_members rule"
    finally:
        RULES["import_members"] = kept


def test_who_has_not_answered_follows_the_rule(objects, staff_a, staff_b, central_staff):
    from surveys.selectors import not_answered_for

    assert not_answered_for(objects["deployment"], staff_a) is not None
    for user in (staff_b, central_staff):
        assert not_answered_for(objects["deployment"], user) is None
    assert not_answered_for(objects["anonymous_deployment"], staff_a) is None


@pytest.mark.parametrize(
    ("persona", "template"),
    [
        ("staff_a", "surveys/deployment_list.html"),
        ("central_staff", "surveys/deployment_list.html"),
        ("member_a", "surveys/my_surveys.html"),
        ("board_member_a", "surveys/my_surveys.html"),
    ],
)
def test_the_survey_list_follows_the_rule(request, client_for, persona, template):
    response = client_for(request.getfixturevalue(persona)).get(reverse("surveys:list"))
    assert template in [t.name for t in response.templates]


@pytest.mark.parametrize(("persona", "status"), [("central_staff", 200), ("staff_a", 404), ("member_a", 404)])
def test_breach_register_follows_the_rule(request, client_for, persona, status):
    assert client_for(request.getfixturevalue(persona)).get(reverse("breach_list")).status_code == status


# --- no direct role check outside the rules' own implementation ---------------------------

# A view, form, service or template that asks ``user.is_central``, ``user.role == ...`` or
# ``is_portal_staff`` decides a permission outside the table. The files below implement the
# table or what it stands on (visible_to, the user model), or use the role for something
# that is not a permission; each may hold exactly the number of such checks it has now.
DIRECT = re.compile(
    r"""\.is_central\b|\.is_portal_staff\b|\buser\.is_staff\b|["']is_(?:central|portal_staff)["']|"""
    r"\b(?:user|by|actor)\.role\s*(?:==|!=|in\b|not\s+in\b)|"
    r"""\brole\s*(?:==|!=)\s*(?:Role\.|["'])"""
)
ALLOWED = {
    "portal/rules.py": None,  # the table itself
    "portal/access.py": 5,  # visible_to: what each role sees
    "portal/models.py": 5,  # the user model's is_central / is_portal_staff / scope
    "events/models.py": 2,  # the event manager's visible_to
    "reports/models.py": 2,  # the report manager's visible_to
    "portal/caching.py": 2,  # cache key: users who see the same figures share it
    "portal/security.py": 2,  # staff sessions are shorter (not an object permission)
    "portal/home.py": 3,  # which home page her role gets (sections are scoped themselves)
    "templates/portal/home.html": 7,  # the home page's greeting and sections per role
    "members/services.py": 1,  # member accounts end with the membership (account kind)
}
SKIP_PARTS = {"tests", "migrations", ".venv", "node_modules", "static", "locale"}
SKIP_NAMES = {"bench.py", "demo.py", "national.py"}  # users created for fixtures


def _sources() -> list[Path]:
    base = Path(settings.BASE_DIR)
    files = []
    for path in [*base.rglob("*.py"), *base.rglob("*.html")]:
        rel = path.relative_to(base)
        if SKIP_PARTS & set(rel.parts) or rel.name in SKIP_NAMES or rel.parts[0].startswith("."):
            continue
        files.append(rel)
    return files


def test_no_direct_role_check_outside_the_rules_table():
    found: dict[str, list[str]] = {}
    base = Path(settings.BASE_DIR)
    for rel in _sources():
        lines = [
            f"{rel}:{n}: {line.strip()}"
            for n, line in enumerate((base / rel).read_text(encoding="utf-8").splitlines(), 1)
            if DIRECT.search(line)
        ]
        if lines:
            found[rel.as_posix()] = lines
    stray = {
        name: lines
        for name, lines in found.items()
        if name not in ALLOWED or (ALLOWED[name] is not None and len(lines) > ALLOWED[name])
    }
    assert not stray, "ask portal.rules (may / require / {% may %}) instead:\n" + "\n".join(
        line for lines in stray.values() for line in lines
    )


def test_the_scan_finds_a_direct_check():
    for sample in (
        "if request.user.is_central:",
        "if user.role == Role.PROVINCIAL_STAFF:",
        '{% if user.role == "board" %}',
        "if request.user.is_portal_staff",
        "if user.role in (Role.CENTRAL_STAFF,):",
    ):
        assert DIRECT.search(sample), sample
    for sample in (
        "seat.role == BoardSeat.Role.CHAIR",
        "role=Role.MEMBER",
        "may(user, 'manage_event', event)",
        "{% if is_staff and event.issues_certificates %}",
    ):
        assert not DIRECT.search(sample), sample
