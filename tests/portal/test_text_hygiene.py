"""Text hygiene: control characters never enter through a form, an import or a survey
answer, and no stored value (however it got in) makes an export, a PDF or a chart fail."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import pytest
import tablib
from django.db import connection
from django.urls import reverse

from events.models import Event
from members.models import Person
from members.resources import COLUMNS, PersonResource
from portal.charts import bar_chart_svg, paired_bar_chart_svg
from portal.text import clean_text
from reports.models import ReportRequest
from reports.services import report_generate
from surveys.models import Answer
from surveys.services import AnswerInput, response_save
from tests.factories import EventFactory, MembershipFactory, PersonFactory
from tests.reports.factories import LessonsLearnedFactory, make_report
from tests.surveys.factories import deploy, full_template, q

pytestmark = pytest.mark.django_db

C0 = "".join(chr(c) for c in range(0x20))
CONTROL_FREE_C0 = "\t\n"


def _storable_c0() -> str:
    # PostgreSQL itself refuses NUL in text; every other C0 character can be stored.
    return C0[1:] if connection.vendor == "postgresql" else C0


def _dirty(text: str, limit: int | None = None) -> str:
    value = f"={_storable_c0()}$x^2$ \\alpha {text}"
    return value[:limit] if limit else value


def _has_control(value: str) -> bool:
    return any(ord(ch) < 0x20 and ch not in CONTROL_FREE_C0 for ch in value)


def test_clean_text_removes_every_c0_character_but_tab_and_newline():
    cleaned = clean_text("a" + C0 + "b\x7f\x85c\u2028d")
    assert not _has_control(cleaned) and "\x7f" not in cleaned
    assert "\t" in cleaned and "\n" in cleaned and cleaned.startswith("a") and "b" in cleaned
    assert clean_text(unicodedata.normalize("NFD", "Nguyễn")) == unicodedata.normalize("NFC", "Nguyễn")
    assert clean_text("Dòng 1\x0bDòng 2") == "Dòng 1\nDòng 2", "Word's line break becomes a newline"


def test_a_form_stores_no_control_character(client_for, staff_a, province_a):
    person = PersonFactory(province=province_a)
    response = client_for(staff_a).post(
        reverse("members:person_edit", args=[person.pk]),
        {"full_name": "Trần\x0bThị" + C0 + "Mai", "organisation": "Sở\x00 Y tế\x1b", "position": "Phó\x07"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    for value in (person.full_name, person.organisation, person.position, person.search_text):
        assert not _has_control(value), repr(value)
    assert person.full_name.startswith("Trần") and person.organisation == "Sở Y tế"


def test_an_import_stores_no_control_character(staff_a, province_a):
    dataset = tablib.Dataset(headers=[COLUMNS["full_name"], COLUMNS["organisation"]])
    dataset.append(["Lê\x0bThị\x00 Hồng" + C0, "Sở\x1b Công Thương"])
    result = PersonResource(user=staff_a).import_data(dataset)
    assert not result.has_errors() and not result.has_validation_errors()
    person = Person.objects.get()
    assert not _has_control(person.full_name) and not _has_control(person.organisation)


def test_a_survey_answer_stores_no_control_character(network_a, staff_a):
    person = MembershipFactory(network=network_a).person
    template = full_template()
    deployment = deploy(template, network=network_a, user=staff_a)
    response_save(
        deployment=deployment,
        person=person,
        answers={q(template, "long").pk: AnswerInput(value="Ý kiến" + C0 + "hết")},
        submit=False,
    )
    text = Answer.objects.get(question__code="long").text
    assert not _has_control(text) and text.startswith("Ý kiến")


def test_charts_never_read_user_text_as_markup():
    svg = bar_chart_svg(["Giá $5 và $10", "$\\frac{1}{0}$", _dirty("x")], [1, 2, 3], title="Tập huấn $ đặc biệt")
    assert "$5" in svg and "Tập huấn $ đặc biệt" in svg
    paired_bar_chart_svg(["$a$", "b$"], [1, 2], [2, 3], before_label="$", after_label="$$", title="$")


def test_every_c0_character_in_every_text_field_leaves_every_export_and_report_working(
    client_for, staff_a, central_staff, network_a, network_b
):
    """Stored values are written straight to the database (as old data or another
    program might have), bypassing the entrances: exports and reports still work."""
    network_a.name = _dirty("Mạng lưới A")
    network_a.save()
    people = []
    for _i in range(3):
        membership = MembershipFactory(network=network_a, person__category="business", person__ethnicity="Tày")
        people.append(membership.person)
    text_fields = [
        f
        for f in Person._meta.concrete_fields
        if f.get_internal_type() in ("CharField", "TextField") and not f.choices and f.attname != "phone"
    ]
    for person in people:
        Person.objects.filter(pk=person.pk).update(
            **{f.attname: _dirty(f"{f.attname}{person.pk}", f.max_length) for f in text_fields}
        )
    event = EventFactory(networks=[network_a, network_b], title=_dirty("Tập huấn $ và $$"))
    Event.objects.filter(pk=event.pk).update(
        **{
            f.attname: _dirty(f.attname, f.max_length)
            for f in Event._meta.concrete_fields
            if f.get_internal_type() in ("CharField", "TextField") and not f.choices and f.attname not in ("status",)
        }
    )
    LessonsLearnedFactory(network=network_a, achievements=_dirty("Thành tựu"), lessons=_dirty("Bài học"))
    template = full_template()
    deployment = deploy(template, network=network_a, user=staff_a)
    response = response_save(
        deployment=deployment, person=people[0], answers={q(template, "long").pk: AnswerInput(value="ok")}, submit=False
    )
    Answer.objects.filter(question__code="long").update(text=_dirty("Ý kiến"))
    type(response).objects.filter(pk=response.pk).update(status="submitted")

    client = client_for(staff_a)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("members:export", args=[fmt]))
        assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("members:export", args=["xlsx"])).content))
    assert book.active.max_row == 4
    assert client.get(reverse("surveys:export", args=[deployment.pk])).status_code == 200
    assert client.get(reverse("events:signin_sheet", args=[event.pk])).status_code == 200
    assert client.get(reverse("members:dashboard")).status_code == 200
    for kind in (ReportRequest.Kind.PROVINCIAL, ReportRequest.Kind.DONOR):
        for language in ("vi", "en"):
            report = report_generate(report_id=make_report([network_a], kind=kind, language=language).pk)
            assert report.status == ReportRequest.Status.DONE, report.error if hasattr(report, "error") else ""
            assert bytes(report.pdf).startswith(b"%PDF")
            openpyxl.load_workbook(io.BytesIO(bytes(report.xlsx)))
