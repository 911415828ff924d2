"""A member sees, edits and downloads her data, asks for removal; staff anonymise."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.urls import reverse

from members import services
from members.models import Membership, Person
from members.selectors import representation_for
from networks.models import Network

pytestmark = pytest.mark.django_db


def test_she_sees_and_edits_her_profile(client_for, member_a):
    client = client_for(member_a)
    assert client.get(reverse("members:me")).status_code == 200
    response = client.post(reverse("members:me_edit"), {"full_name": "Trần Thị Mới", "phone": "0912 111 222"})
    assert response.status_code == 302
    person = Person.objects.get(user=member_a)
    assert person.full_name == "Trần Thị Mới" and str(person.phone) == "+84912111222"


def test_she_downloads_everything_as_json_and_excel(client_for, member_a):
    client = client_for(member_a)
    data = json.loads(client.get(reverse("members:me_download", args=["json"])).content)
    assert {"Mục": "Họ và tên", "Giá trị": "Trần Thị Thành Viên"} in data["Hồ sơ"]
    assert data["Tư cách thành viên"][0]["Trạng thái"] == "Thành viên"
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("members:me_download", args=["xlsx"])).content))
    assert {"Hồ sơ", "Tư cách thành viên", "Đồng ý xử lý dữ liệu", "Vị trí trong Ban Chủ nhiệm"} <= set(book.sheetnames)


def test_without_a_profile_the_pages_are_404(client_for, staff_b):
    assert client_for(staff_b).get(reverse("members:me")).status_code == 404


def test_removal_request_then_anonymisation_keeps_counts(client_for, member_a, staff_a, staff_b, network_a):
    client_for(member_a).post(reverse("members:me_removal"), {"confirm": "on"})
    person = Person.objects.get(user=member_a)
    assert person.removal_requested_at
    before = representation_for(Network.objects.filter(pk=network_a.pk))
    assert client_for(staff_b).post(reverse("members:person_anonymise", args=[person.pk])).status_code == 404
    assert client_for(staff_a).post(reverse("members:person_anonymise", args=[person.pk])).status_code == 302
    person.refresh_from_db()
    assert person.full_name == services.ANONYMOUS_NAME and not person.email and not person.phone
    assert not person.history.filter(full_name="Trần Thị Thành Viên").exists()
    assert Membership.objects.filter(person=person, status="member").count() == 1
    after = representation_for(Network.objects.filter(pk=network_a.pk))
    assert after["total"] == before["total"] and after["by_category"] == before["by_category"]
    member_a.refresh_from_db()
    assert not member_a.is_active


def test_staff_see_the_removal_requests_of_their_province_only(client_for, member_a, staff_a, staff_b):
    client_for(member_a).post(reverse("members:me_removal"), {"confirm": "on"})
    mine = client_for(staff_a).get(reverse("members:list"), {"removal": "1"})
    assert mine.context["removal_requests"] == 1
    assert [p.user_id for p in mine.context["people"]] == [member_a.pk]
    theirs = client_for(staff_b).get(reverse("members:list"), {"removal": "1"})
    assert theirs.context["removal_requests"] == 0 and list(theirs.context["people"]) == []
