"""Her data: the download holds everything about her (profile, memberships, consents and
basis, invitations, attendance, survey answers) with headings and values in her language
(labels, not codes); asking for removal needs a confirmation and takes an optional reason."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from events import services as event_services
from members.models import Person
from surveys.services import response_save
from tests.factories import EventFactory
from tests.surveys.factories import deploy, full_template, required_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def her(member_a, network_a, staff_a):
    """The member with a consent, an event invitation, a check-in and a survey answer."""
    from members import services

    person = Person.objects.get(user=member_a)
    services.person_update(
        person=person,
        data={"ethnicity": "Mường"},
        basis=services.LawfulBasis.consent(channel="profile", sensitive=True),
    )
    event = EventFactory(networks=[network_a], title="Tập huấn hội nhập quốc tế")
    event_services.invitation_invite_person(event=event, by=staff_a, person=person)
    event_services.attendance_check_in(event=event, person=person, by=staff_a)
    template = full_template()
    deployment = deploy(template, network=network_a, user=staff_a)
    response_save(
        deployment=deployment,
        person=person,
        answers=required_answers(template, long="Tôi cần học kỹ năng đàm phán"),
        submit=True,
    )
    return person


def _sheets(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


def test_the_excel_download_is_in_vietnamese_and_holds_everything(client_for, member_a, her):
    sheets = _sheets(client_for(member_a).get(reverse("members:me_download", args=["xlsx"])).content)
    assert set(sheets) >= {
        "Hồ sơ",
        "Đồng ý xử lý dữ liệu",
        "Tư cách thành viên",
        "Thư mời sự kiện",
        "Tham dự",
        "Câu trả lời khảo sát",
    }, set(sheets)
    profile = dict(sheets["Hồ sơ"][1:])
    assert profile["Họ và tên"] == "Trần Thị Thành Viên" and profile["Dân tộc"] == "Mường"
    assert profile["Căn cứ pháp lý"] == "Sự đồng ý của chị", "a label, not the code 'consent'"
    assert sheets["Tư cách thành viên"][1][1] == "Thành viên", "status label, not 'member'"
    assert sheets["Đồng ý xử lý dữ liệu"][0][0] == "Thời gian"
    assert any("Tập huấn hội nhập quốc tế" in str(row) for row in sheets["Thư mời sự kiện"][1:])
    assert any("Tập huấn hội nhập quốc tế" in str(row) for row in sheets["Tham dự"][1:])
    assert any("Tôi cần học kỹ năng đàm phán" in str(row) for row in sheets["Câu trả lời khảo sát"][1:])
    text = json.dumps(sheets, ensure_ascii=False, default=str)
    for code in ('"member"', '"consent"', '"online"', '"profile"', '"staff"'):
        assert code not in text, code


def test_the_json_download_has_the_same_sections(client_for, member_a, her):
    data = json.loads(client_for(member_a).get(reverse("members:me_download", args=["json"])).content)
    assert data["Hồ sơ"][0] == {"Mục": "Họ và tên", "Giá trị": "Trần Thị Thành Viên"}
    assert {"Trả lời": "Tôi cần học kỹ năng đàm phán"}.items() <= next(
        row for row in data["Câu trả lời khảo sát"] if row["Trả lời"] == "Tôi cần học kỹ năng đàm phán"
    ).items()
    assert data["Thư mời sự kiện"][0]["Sự kiện"] == "Tập huấn hội nhập quốc tế"


def test_in_english_the_headings_and_values_are_english(client_for, member_a, her):
    member_a.language = "en"
    member_a.save()
    client = client_for(member_a)
    client.cookies["django_language"] = "en"
    sheets = _sheets(client.get(reverse("members:me_download", args=["xlsx"])).content)
    assert {"Profile", "Memberships", "Event invitations", "Attendance", "Survey answers"} <= set(sheets)
    assert sheets["Memberships"][1][1] == "Member"


def test_asking_for_removal_needs_a_confirmation_and_keeps_the_reason(client_for, member_a):
    client = client_for(member_a)
    page = client.get(reverse("members:me_removal"))
    assert page.status_code == 200 and "không thể hoàn tác" in page.content.decode()
    person = Person.objects.get(user=member_a)
    assert person.removal_requested_at is None, "a GET changes nothing"
    refused = client.post(reverse("members:me_removal"), {"reason": "Chuyển công tác"})
    assert refused.status_code == 200 and refused.context["form"].errors
    person.refresh_from_db()
    assert person.removal_requested_at is None, "one tap is not enough"
    done = client.post(reverse("members:me_removal"), {"reason": "Chuyển công tác", "confirm": "on"})
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.removal_requested_at and person.removal_reason == "Chuyển công tác"


def test_the_profile_page_links_to_the_confirmation_pages_not_one_tap_forms(client_for, member_a):
    html = client_for(member_a).get(reverse("members:me")).content.decode()
    assert f'href="{reverse("members:me_removal")}"' in html
    assert f'href="{reverse("members:me_withdraw")}"' in html
    assert f'action="{reverse("members:me_removal")}"' not in html
