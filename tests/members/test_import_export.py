"""Member lists in and out of Excel/CSV: all-or-nothing imports with Vietnamese errors,
duplicate matching, NFC text, the importer's province only, formula-safe exports."""

from __future__ import annotations

import csv
import io
import unicodedata

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import services
from members.bench import member_rows
from members.models import Person
from members.resources import COLUMNS
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEADERS = list(COLUMNS.values())


def _xlsx(rows) -> bytes:
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append(row)
    return dataset.export("xlsx")


def _import(user, rows):
    return services.member_import(content=_xlsx(rows), file_name="m.xlsx", province_id=user.province_id, actor=user)


def _upload(client, content: bytes, name="members.xlsx", **extra):
    return client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_preview_saves_nothing_then_confirm_imports(client_for, staff_a, province_a):
    client = client_for(staff_a)
    preview = _upload(client, _xlsx(member_rows(province_a, 20)))
    assert preview.status_code == 200 and preview.context["confirm"] and not preview.context["errors"]
    assert Person.objects.count() == 0
    response = client.post(reverse("members:import_confirm"), {"preview": preview.context["preview"].pk})
    assert response.status_code == 302
    assert Person.objects.filter(province=province_a).count() == 20


def test_one_bad_row_imports_nothing_and_names_row_and_column(client_for, staff_a, province_a):
    rows = member_rows(province_a, 30)
    rows[17][3] = "12345"  # phone, on sheet line 19 (header is line 1)
    response = _upload(client_for(staff_a), _xlsx(rows))
    assert response.context["errors"] == ["Dòng 19, cột “Điện thoại”: “12345” không phải là số điện thoại hợp lệ."]
    assert not response.context["confirm"] and response.context["preview"] is None
    plan = _import(staff_a, rows)
    assert plan.errors and Person.objects.count() == 0


def test_a_bad_ward_and_ethnicity_are_reported_in_vietnamese(staff_a, province_a):
    rows = member_rows(province_a, 3)
    rows[0][8] = "Phường Ba Đình"  # a Hà Nội ward, not of province A
    rows[1][2] = "Sao Hỏa"
    messages = _import(staff_a, rows).errors
    assert any("Xã/phường" in m and "Dòng 2" in m for m in messages)
    assert any("54 dân tộc" in m and "Dòng 3" in m for m in messages)
    assert Person.objects.count() == 0


def test_duplicates_by_phone_or_email_update_the_existing_person(staff_a, province_a):
    by_phone = PersonFactory(province=province_a, full_name="Cũ 1", phone="+84912000001", email="")
    by_email = PersonFactory(province=province_a, full_name="Cũ 2", email="old@example.org")
    rows = member_rows(province_a, 3)
    rows[0][3], rows[0][0] = "84912000001", "Mới Theo Điện Thoại"
    rows[1][4], rows[1][3], rows[1][0] = "OLD@example.org", "", "Mới Theo Email"
    plan = _import(staff_a, rows)
    assert not plan.errors and plan.totals["update"] == 2 and plan.totals["new"] == 1
    assert Person.objects.count() == 3
    by_phone.refresh_from_db()
    by_email.refresh_from_db()
    assert by_phone.full_name == "Mới Theo Điện Thoại" and by_email.full_name == "Mới Theo Email"
    assert by_phone.history.first().history_user == staff_a


def test_a_person_of_another_province_is_never_matched_or_changed(staff_a, province_a, person_b):
    person_b.phone = "+84912000002"
    person_b.save()
    rows = member_rows(province_a, 1)
    rows[0][3] = "0912 000 002"
    _import(staff_a, rows)
    person_b.refresh_from_db()
    assert person_b.full_name == "Lê Thị Nghệ"
    assert Person.objects.filter(province=province_a).count() == 1


def test_text_is_stored_as_nfc_and_searchable(staff_a, province_a):
    rows = member_rows(province_a, 1)
    rows[0][0] = unicodedata.normalize("NFD", "Nguyễn Thị Hoa")
    _import(staff_a, rows)
    person = Person.objects.get()
    assert person.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Hoa")
    assert "nguyen thi hoa" in person.search_text


def test_staff_b_import_goes_to_her_province_only(client_for, staff_b, province_b):
    client = client_for(staff_b)
    preview = _upload(client, _xlsx(member_rows(province_b, 2)))
    client.post(reverse("members:import_confirm"), {"preview": preview.context["preview"].pk})
    assert set(Person.objects.values_list("province", flat=True)) == {province_b.pk}


def test_a_ward_of_province_a_is_refused_for_staff_b(client_for, staff_b, province_a):
    response = _upload(client_for(staff_b), _xlsx(member_rows(province_a, 1)))
    assert any("Xã/phường" in e for e in response.context["errors"])
    assert Person.objects.count() == 0


def test_an_unreadable_file_is_a_clear_error(client_for, staff_a):
    response = _upload(client_for(staff_a), b"not a workbook", name="x.xlsx")
    assert "file" in response.context["form"].errors


TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_neutralise_all_six_formula_triggers(fmt, client_for, staff_a, province_a):
    for i, trigger in enumerate(TRIGGERS):
        PersonFactory(province=province_a, full_name=f"Người {i}", organisation=f"{trigger}HYPERLINK(1)")
    response = client_for(staff_a).get(reverse("members:export", args=[fmt]))
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    else:
        reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
        next(reader)
        values = [cell for row in reader for cell in row]
    organisations = [v for v in values if isinstance(v, str) and "HYPERLINK" in v]
    assert len(organisations) == 6
    for value in values:
        assert not (isinstance(value, str) and value.startswith(tuple(TRIGGERS))), repr(value)


def test_export_holds_no_other_province_rows(client_for, staff_b, person_b, province_a):
    PersonFactory(province=province_a, full_name="Bí Mật Tỉnh A")
    for fmt in ("csv", "xlsx"):
        body = client_for(staff_b).get(reverse("members:export", args=[fmt])).content
        text = (
            body.decode("utf-8-sig")
            if fmt == "csv"
            else str([c.value for r in openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows() for c in r])
        )
        assert "Bí Mật Tỉnh A" not in text and "Lê Thị Nghệ" in text


def test_an_export_imports_back_unchanged(client_for, staff_a, province_a):
    PersonFactory(province=province_a, full_name="Vòng Lặp", phone="+84912000009", organisation="-Ban A")
    body = client_for(staff_a).get(reverse("members:export", args=["xlsx"])).content
    plan = services.member_import(content=body, file_name="m.xlsx", province_id=province_a.pk, actor=staff_a)
    assert not plan.errors and plan.totals["unchanged"] == 1
    person = Person.objects.get()
    assert person.organisation == "-Ban A" and str(person.phone) == "+84912000009"


def test_admin_has_no_member_import(client_for, staff_b):
    """Issue 9: members are imported only at /members/import/ (scoped, previewed, one
    writer); the admin's import wrote other provinces' rows."""
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("admin:members_person_import")
    assert client_for(staff_b).get("/admin/members/person/import/", follow=True).status_code == 404


@pytest.mark.parametrize("url_name", ["admin:members_membership_export", "admin:networks_network_export"])
def test_admin_exports_neutralise_formula_triggers(url_name, client_for, staff_a, network_a):
    network_a.name = "=cmd|'/c calc'!A1"
    network_a.save()
    from tests.factories import MembershipFactory

    MembershipFactory(network=network_a, person__full_name="@SUM(1)")
    client = client_for(staff_a)
    form = client.get(reverse(url_name)).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "initial", None) is True})
    body = client.post(reverse(url_name), data).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert any("calc" in c for c in cells)
    assert not any(c.startswith(tuple(TRIGGERS)) for c in cells), cells


def test_an_imported_list_can_become_a_network_candidate_list(client_for, staff_a, province_a, network_a):
    from members.models import Membership

    existing = PersonFactory(province=province_a, full_name="Đã Có", phone="+84988000001")
    Membership.objects.create(network=network_a, person=existing, status="member")
    rows = member_rows(province_a, 5)
    rows[0][3] = "0988 000 001"  # matches the existing member: updated, not re-proposed
    client = client_for(staff_a)
    preview = _upload(client, _xlsx(rows), network=network_a.pk)
    assert preview.context.get("confirm"), (preview.context.get("errors"), preview.context["form"].errors)
    response = client.post(reverse("members:import_confirm"), {"preview": preview.context["preview"].pk})
    assert response.status_code == 302, [str(m) for m in response.wsgi_request._messages]
    assert response.status_code == 302 and "pipeline" in response["Location"]
    assert Membership.objects.filter(network=network_a, status="candidate").count() == 4
    assert Membership.objects.get(person=existing).status == "member"
    assert Person.objects.count() == 5


def test_staff_b_cannot_import_into_a_network_of_province_a(client_for, staff_b, province_b, network_a):
    response = _upload(client_for(staff_b), _xlsx(member_rows(province_b, 1)), network=network_a.pk)
    assert "network" in response.context["form"].errors
    assert Person.objects.count() == 0


def test_one_bad_row_among_5000_imports_nothing(staff_a, province_a):
    from members.bench import member_xlsx

    dataset = tablib.Dataset().load(member_xlsx(province_a, 5000), format="xlsx")
    row = list(dataset[2999])
    row[1] = "năm ngoái"  # year of birth, sheet line 3001
    dataset[2999] = tuple(row)
    plan = services.member_import(
        content=dataset.export("xlsx"), file_name="m.xlsx", province_id=province_a.pk, actor=staff_a
    )
    messages = plan.errors
    assert messages == ["Dòng 3001, cột “Năm sinh”: “năm ngoái” không phải là năm sinh hợp lệ (1920–2015)."]
    assert Person.objects.count() == 0
