"""The importer's quick paths give the answers of the slow ones: phones checked without
libphonenumber's full parse, workbooks streamed by expat (shared strings, rich text,
phonetic guides, gaps), and only the people a file names looked up."""

from __future__ import annotations

import io
import random
import zipfile

import openpyxl
import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.db.models.signals import post_init

from members.importer import ImportFileError, plan_import, read_table
from members.models import Person
from members.phones import CheckedPhoneNumber, normalise_phone
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _libphonenumber(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return "refused"
    if not phonenumbers.is_valid_number(number):
        return "refused"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_the_quick_phone_check_agrees_with_libphonenumber():
    draw = random.Random(9)
    numbers = []
    for first in range(100):
        for prefix in ("0", "+84"):
            for length in (6, 7, 8, 9, 10):
                digits = f"{first:02d}" + "".join(draw.choice("0123456789") for _ in range(length - 2))
                numbers.append(prefix + digits)
    numbers += ["+16502530000", "+442079460958", "02838123456", "1900123456", "0"]
    for text in numbers:
        try:
            ours = normalise_phone(text)
        except ValidationError:
            ours = "refused"
        assert ours == _libphonenumber(text), text


def test_a_checked_number_saves_and_prints_like_a_parsed_one(province_a):
    checked = CheckedPhoneNumber.from_e164("+84912345678")
    assert str(checked) == "+84912345678" and checked == "0912 345 678" and checked.as_national == "0912 345 678"
    person = Person.objects.create(province=province_a, full_name="Chị Số", phone=checked)
    assert Person.objects.get(pk=person.pk).phone.raw_input == "+84912345678"
    assert str(CheckedPhoneNumber.from_e164("+16502530000").as_international) == "+1 650-253-0000"


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED = [
    "Họ và tên",
    "Năm sinh",
    "Dân tộc",
    "Điện thoại",
    "Email",
    "Cơ quan/đơn vị",
    # Rich text in two runs, as Excel writes a name partly in bold.
    '<r><rPr><b/></rPr><t xml:space="preserve">Nguyễn </t></r><r><t>Thị Lan</t></r>',
    # A phonetic guide (Excel's furigana) is not part of the text.
    '<t>Kinh</t><rPh sb="0" eb="4"><t>KINH-PHONETIC</t></rPh><phoneticPr fontId="1"/>',
    '<t xml:space="preserve"> Sở Y tế &amp; Dân số </t>',
]


def _si(text: str) -> str:
    return f"<si>{text}</si>" if text.startswith("<") else f"<si><t>{text}</t></si>"


def _excel_workbook() -> bytes:
    """A workbook as Excel and LibreOffice write them: shared strings, rich text, a
    phonetic guide, a skipped row, a cell without its reference, numbers and a boolean."""
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
        '<dimension ref="A1:F5"/><sheetData>'
        '<row r="1" spans="1:6">'
        + "".join(f'<c r="{col}1" t="s"><v>{i}</v></c>' for i, col in enumerate("ABCDEF"))
        + "</row>"
        '<row r="2"><c r="A2" t="s"><v>6</v></c><c r="B2"><v>1985</v></c><c r="C2" t="s"><v>7</v></c>'
        '<c r="D2"><v>912345678</v></c><c r="E2" t="inlineStr"><is><t>Lan@Example.org</t></is></c>'
        '<c r="F2" t="s"><v>8</v></c></row>'
        '<row r="4"><c r="A4" t="str"><v>Trần Thị Mai</v></c><c><v>1990.0</v></c><c r="F4" t="b"><v>1</v></c></row>'
        '<row r="5"><c r="A5" s="0"/><c r="B5" t="n"><v>1.5E3</v></c></row>'
        "</sheetData></worksheet>"
    )
    strings = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="{len(SHARED)}">'
        + "".join(_si(s) for s in SHARED)
        + "</sst>"
    )
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
                )
            target.writestr(info, data)
        target.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def _trimmed(row) -> list:
    row = list(row)
    while row and row[-1] is None:
        row.pop()
    return row


def test_an_excel_workbook_reads_as_openpyxl_reads_it(province_a):
    content = _excel_workbook()
    headers, rows = read_table(content, "excel.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    expected = [_trimmed(row) for row in sheet.iter_rows(values_only=True)]
    assert [_trimmed(headers), *[_trimmed(r) for r in rows]] == expected
    assert rows[0][0] == "Nguyễn Thị Lan" and rows[0][2] == "Kinh" and rows[1] == []

    plan = plan_import(headers=headers, rows=rows[:1], province_id=province_a.pk, file_name="excel.xlsx")
    assert not plan.errors, plan.errors
    assert plan.new == [
        {
            "full_name": "Nguyễn Thị Lan",
            "year_of_birth": 1985,
            "ethnicity": "Kinh",
            "phone": "+84912345678",
            "email": "lan@example.org",
            "organisation": "Sở Y tế & Dân số",
        }
    ]


def test_a_workbook_part_with_a_dtd_is_refused():
    content = _excel_workbook()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY e "x">]><worksheet', 1)
            target.writestr(info, data)
    with pytest.raises(ImportFileError):
        read_table(out.getvalue(), "dtd.xlsx")


def test_a_small_file_loads_only_the_people_it_names(province_a, django_assert_max_num_queries):
    people = PersonFactory.create_batch(40, province=province_a)
    by_id, by_phone, by_email = people[3], people[7], people[11]
    Person.objects.filter(pk=by_phone.pk).update(phone="+84912000007")
    # An address stored in capitals (before the one writer) is still found.
    Person.objects.filter(pk=by_email.pk).update(email=by_email.email.upper())
    headers = ["id", "Họ và tên", "Điện thoại", "Email", "Chức vụ"]
    rows = [
        [by_id.pk, "", "", "", "Chủ tịch"],
        ["", "Ai Đó", "0912 000 007", "", "Phó Chủ tịch"],
        ["", "Ai Khác", "", by_email.email.lower(), "Thư ký"],
        ["", "Người Mới", "0912000099", "moi@example.org", ""],
    ]
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count, sender=Person)
    try:
        with django_assert_max_num_queries(8):
            plan = plan_import(headers=headers, rows=rows, province_id=province_a.pk, file_name="few.xlsx")
    finally:
        post_init.disconnect(count, sender=Person)
    assert not plan.errors, plan.errors
    assert [r.person_id for r in plan.rows] == [by_id.pk, by_phone.pk, by_email.pk, None]
    assert plan.totals == {"rows": 4, "new": 1, "update": 3, "unchanged": 0}
    assert sorted(loaded) == sorted([by_id.pk, by_phone.pk, by_email.pk])

    # A phone of one and an e-mail of another is still named as a conflict.
    rows = [["", "Ai Đó", "0912 000 007", by_email.email.lower(), ""]]
    plan = plan_import(headers=headers, rows=rows, province_id=province_a.pk, file_name="few.xlsx")
    assert len(plan.errors) == 1 and by_phone.full_name in plan.errors[0] and by_email.full_name in plan.errors[0]
