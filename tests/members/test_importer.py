"""The member-list importer: previews bound to their file and province, blank cells that
keep stored values, headings as offices type them, exports that import back unchanged,
duplicate and conflicting rows, files checked before they are parsed, previews that
expire."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
from datetime import timedelta

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members import services
from members.bench import member_rows, member_xlsx, zip_bomb_xlsx
from members.importer import FIELD_LABEL, MAX_ROWS, PROFILE_FIELDS, ImportFileError, read_table
from members.models import ImportPreview, Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEADERS = [FIELD_LABEL[name] for name in PROFILE_FIELDS]


def _xlsx(rows, headers=HEADERS) -> bytes:
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset.export("xlsx")


def _upload(client, content: bytes, name="members.xlsx", **extra):
    return client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, content), **extra})


def _confirm(client, response):
    return client.post(reverse("members:import_confirm"), {"preview": response.context["preview"].pk}, follow=True)


def _import(province, content, name="list.xlsx", actor=None):
    return services.member_import(content=content, file_name=name, province_id=province.pk, actor=actor)


def test_the_confirm_button_carries_its_preview_and_names_province_and_file(
    client_for, central_staff, province_a, province_b
):
    client = client_for(central_staff)
    first = _upload(client, _xlsx(member_rows(province_a, 3)), name="hung-yen.xlsx", province=province_a.pk)
    second = _upload(client, _xlsx(member_rows(province_b, 2)), name="nghe-an.xlsx", province=province_b.pk)
    page = first.content.decode()
    assert "hung-yen.xlsx" in page and "Hưng Yên" in page
    assert f'name="preview" value="{first.context["preview"].pk}"' in page
    # Confirming the first tab imports the first file, into its own province.
    done = _confirm(client, first)
    text = done.content.decode()
    assert "hung-yen.xlsx" in text and "Hưng Yên" in text
    assert Person.objects.filter(province=province_a).count() == 3
    assert Person.objects.filter(province=province_b).count() == 0
    _confirm(client, second)
    assert Person.objects.filter(province=province_b).count() == 2
    # A preview is used once.
    again = _confirm(client, first)
    assert "hết hạn" in again.content.decode() and Person.objects.count() == 5


def test_someone_elses_preview_cannot_be_confirmed(client_for, staff_a, province_a, central_staff):
    preview_page = _upload(client_for(central_staff), _xlsx(member_rows(province_a, 2)), province=province_a.pk)
    preview_id = preview_page.context["preview"].pk
    client = client_for(staff_a)
    client.post(reverse("members:import_confirm"), {"preview": preview_id})
    client.post(reverse("members:import_confirm"), {"preview": "not-a-uuid"})
    assert Person.objects.count() == 0


def test_blank_cells_keep_stored_values(client_for, staff_a, province_a):
    person = PersonFactory(
        province=province_a,
        full_name="Trần Thị Lưu",
        phone="+84912000001",
        email="luu@example.org",
        organisation="Sở Nội vụ",
        position="Trưởng phòng",
        year_of_birth=1980,
        ethnicity="Tày",
        category="union",
    )
    rows = [["Trần Thị Lưu", "", "", "0912 000 001", "", "", "Phó Giám đốc", "", "", ""]]
    client = client_for(staff_a)
    preview = _upload(client, _xlsx(rows))
    assert preview.context["plan"]["totals"]["update"] == 1
    changes = preview.context["plan"]["rows"][0]["changes"]
    assert changes == [["Chức vụ", "Trưởng phòng", "Phó Giám đốc"]], "the preview shows what will change"
    _confirm(client, preview)
    person.refresh_from_db()
    assert person.position == "Phó Giám đốc"
    assert (person.email, person.organisation, person.year_of_birth, person.ethnicity, person.category) == (
        "luu@example.org",
        "Sở Nội vụ",
        1980,
        "Tày",
        "union",
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_portals_own_export_changes_nothing(fmt, client_for, staff_a, province_a, network_a):
    _import(province_a, member_xlsx(province_a, 30))
    guest = PersonFactory(province=province_a, full_name="Khách Mời", phone="", email="")  # no phone, no e-mail
    PersonFactory(province=province_a, full_name="=Công thức", organisation="+Sở", phone="", email="f@example.org")
    before = {p.pk: (p.full_name, p.updated_at) for p in Person.objects.all()}
    client = client_for(staff_a)
    exported = client.get(reverse("members:export", args=[fmt])).content
    preview = _upload(client, exported, name=f"members.{fmt}")
    assert not preview.context["errors"], preview.context["errors"]
    totals = preview.context["plan"]["totals"]
    assert totals["new"] == 0 and totals["update"] == 0 and totals["unchanged"] == len(before)
    _confirm(client, preview)
    assert {p.pk: (p.full_name, p.updated_at) for p in Person.objects.all()} == before
    assert Person.objects.filter(full_name="Khách Mời").count() == 1 and guest.pk in before


def test_headings_as_an_office_types_them_and_short_category_names(province_a):
    headers = ["HỌ VÀ TÊN", "nam sinh", "Dân Tộc", "Điện thoại", "E-mail", "Cơ quan", "Chức vụ", "Nhóm", "Xã/Phường"]
    commune = member_rows(province_a, 1)[0][8]
    rows = [["Vũ Thị Gõ", 1990, "tày", "0912000002", "go@example.org", "Sở Y tế", "Chuyên viên", "Doanh nhân", commune]]
    plan = _import(province_a, _xlsx(rows, headers))
    assert not plan.errors, plan.errors
    person = Person.objects.get()
    assert plan.new[0]["ethnicity"] == "Tày", "the heading and the value are read"
    assert (person.category, person.organisation) == ("business", "Sở Y tế")
    assert person.ethnicity == "", "sensitive: not stored without her explicit consent"
    assert person.commune is not None


def test_a_list_imported_again_is_unchanged_though_its_ethnic_groups_were_not_stored(province_a, staff_a):
    """The file's ethnic groups are not kept without explicit consent; importing the same
    file again must not preview every row as an update that changes nothing (make bench
    found 5,000 such "updates")."""
    content = member_xlsx(province_a, 20)
    assert not _import(province_a, content).errors
    assert not Person.objects.exclude(ethnicity="").exists()
    again, _preview = services.import_preview_create(
        content=content, file_name="list.xlsx", province_id=province_a.pk, actor=staff_a
    )
    assert again.totals["update"] == 0 and again.totals["unchanged"] == 20, again.totals
    consenting = Person.objects.order_by("pk").first()
    Person.objects.filter(pk=consenting.pk).update(sensitive_consent_at=timezone.now())
    again, _preview = services.import_preview_create(
        content=content, file_name="list.xlsx", province_id=province_a.pk, actor=staff_a
    )
    assert again.totals["update"] == 1, "with her consent the file's ethnic group is a change"


def test_an_unknown_heading_is_an_error_listing_the_accepted_ones(province_a):
    plan = _import(province_a, _xlsx([["Lê Thị A", "Sở X"]], ["Họ và tên", "Cơ quan công tác chính"]))
    assert len(plan.errors) == 1
    assert (
        "Cơ quan công tác chính" in plan.errors[0] and "Họ và tên" in plan.errors[0] and "Xã/phường" in plan.errors[0]
    )
    assert Person.objects.count() == 0


def test_rows_of_one_person_are_merged_when_they_agree_and_named_when_they_conflict(province_a):
    rows = [
        ["Đỗ Thị Một", "", "", "0912000003", "", "Sở A", "", "", "", ""],
        ["Đỗ Thị Một", 1985, "", "0912000003", "mot@example.org", "", "", "", "", ""],
    ]
    plan = _import(province_a, _xlsx(rows))
    assert not plan.errors and plan.totals["new"] == 1
    person = Person.objects.get()
    assert (person.organisation, person.year_of_birth, person.email) == ("Sở A", 1985, "mot@example.org")

    rows = [
        ["Đỗ Thị Hai", "", "", "0912000004", "", "Sở A", "", "", "", ""],
        ["Đỗ Thị Hai", "", "", "0912000004", "", "Sở B", "", "", "", ""],
    ]
    plan = _import(province_a, _xlsx(rows))
    assert len(plan.errors) == 1 and "2" in plan.errors[0] and "3" in plan.errors[0] and "Cơ quan" in plan.errors[0]
    assert Person.objects.count() == 1


def test_a_phone_of_one_person_and_an_email_of_another_is_an_error_naming_both(province_a):
    PersonFactory(province=province_a, full_name="Chị Điện Thoại", phone="+84912000005", email="")
    PersonFactory(province=province_a, full_name="Chị Thư Điện Tử", email="thu@example.org")
    plan = _import(province_a, _xlsx([["Ai Đó", "", "", "0912000005", "thu@example.org", "", "", "", "", ""]]))
    assert len(plan.errors) == 1
    assert "Chị Điện Thoại" in plan.errors[0] and "Chị Thư Điện Tử" in plan.errors[0]
    assert Person.objects.get(full_name="Chị Điện Thoại").email == ""


def test_the_template_can_be_downloaded_and_imports(client_for, staff_a, province_a):
    response = client_for(staff_a).get(reverse("members:import_template"))
    assert response.status_code == 200
    headers, rows = read_table(response.content, "mau.xlsx")
    assert headers == HEADERS and len(rows) == 1
    plan = _import(province_a, response.content)
    assert not plan.errors and plan.totals["new"] == 1


def test_the_template_needs_staff(client_for, member_a):
    assert client_for(member_a).get(reverse("members:import_template")).status_code in (403, 404)


def test_a_zip_bomb_is_refused_fast_with_little_memory(client_for, staff_a):
    bomb = zip_bomb_xlsx(300)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImportFileError):
        read_table(bomb, "bomb.xlsx")
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 2 and peak < 50 * 1024 * 1024
    response = _upload(client_for(staff_a), bomb, name="bomb.xlsx")
    assert response.status_code == 200 and len(response.content) < 100_000
    assert "MB" in str(response.context["form"].errors["file"])


def test_too_many_rows_and_too_long_cells_are_refused_before_import(province_a):
    with pytest.raises(ImportFileError) as exc:
        read_table(("Họ và tên\n" + "a\n" * (MAX_ROWS + 1)).encode(), "long.csv")
    assert "50.000" in exc.value.messages[0]
    with pytest.raises(ImportFileError) as exc:
        read_table(_xlsx([["x" * 5000] + [""] * 9]), "wide.xlsx")
    assert len(exc.value.messages[0]) < 250, "the value is cut to 100 characters"


def test_error_messages_cut_values_to_100_characters(province_a):
    plan = _import(province_a, _xlsx([["Tên", "", "", "9" * 400, "", "", "", "", "", ""]]))
    assert len(plan.errors) == 1 and "9" * 101 not in plan.errors[0] and "9" * 99 in plan.errors[0]


def test_import_files_live_outside_media_and_expire(client_for, staff_a, province_a, settings):
    client = client_for(staff_a)
    response = _upload(client, _xlsx(member_rows(province_a, 2)))
    preview = response.context["preview"]
    path = os.path.join(settings.IMPORT_FILES_ROOT, preview.stored_path)
    assert os.path.exists(path) and not str(path).startswith(str(settings.MEDIA_ROOT))
    ImportPreview.objects.filter(pk=preview.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = _confirm(client, response)
    assert "hết hạn" in expired.content.decode() and Person.objects.count() == 0
    assert services.import_previews_cleanup() == 1 and not os.path.exists(path)


def test_a_stray_import_file_is_deleted_after_a_day(settings):
    os.makedirs(settings.IMPORT_FILES_ROOT, exist_ok=True)
    stray = os.path.join(settings.IMPORT_FILES_ROOT, "old.xlsx")
    with open(stray, "wb") as handle:
        handle.write(b"x")
    services.import_previews_cleanup()
    assert os.path.exists(stray)
    old = time.time() - 25 * 3600
    os.utime(stray, (old, old))
    services.import_previews_cleanup()
    assert not os.path.exists(stray)


def test_confirmed_imports_delete_their_file(
    client_for, staff_a, province_a, settings, django_capture_on_commit_callbacks
):
    client = client_for(staff_a)
    response = _upload(client, _xlsx(member_rows(province_a, 2)))
    path = os.path.join(settings.IMPORT_FILES_ROOT, response.context["preview"].stored_path)
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client, response)
    assert Person.objects.count() == 2 and not os.path.exists(path)


def test_an_export_workbook_shows_the_id_column(client_for, staff_a, province_a):
    person = PersonFactory(province=province_a)
    content = client_for(staff_a).get(reverse("members:export", args=["xlsx"])).content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(1, 1).value == "id" and str(sheet.cell(2, 1).value) == str(person.pk)


def test_files_the_old_importer_left_in_public_media_are_deleted(settings):
    legacy = os.path.join(settings.MEDIA_ROOT, "imports")
    os.makedirs(legacy, exist_ok=True)
    with open(os.path.join(legacy, "0123abcd.xlsx"), "wb") as handle:
        handle.write(b"names and phones")
    services.import_previews_cleanup()
    assert os.listdir(legacy) == []
