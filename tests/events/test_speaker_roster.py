"""The speaker roster page for staff (instead of the admin)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events.models import Speaker

pytestmark = pytest.mark.django_db


def test_provincial_staff_add_a_speaker_to_her_province(client_for, staff_a, province_a):
    client = client_for(staff_a)
    response = client.post(
        reverse("events:speaker_new"),
        {"kind": "guest_speaker", "full_name": "Đỗ Thị Diễn Giả", "organisation": "Sở Ngoại vụ", "bio_vi": "Tiểu sử"},
    )
    assert response.status_code == 302
    speaker = Speaker.objects.get()
    assert speaker.province == province_a
    assert "Đỗ Thị Diễn Giả" in client.get(reverse("events:speakers")).content.decode()


def test_provincial_staff_cannot_edit_another_province_or_the_shared_roster(client_for, staff_b, staff_a, province_a):
    own = Speaker.objects.create(full_name="Giảng Viên A", province=province_a)
    shared = Speaker.objects.create(full_name="Giảng Viên Chung")
    assert client_for(staff_b).get(reverse("events:speaker_edit", args=[own.pk])).status_code == 404
    assert (
        client_for(staff_b)
        .post(reverse("events:speaker_edit", args=[own.pk]), {"full_name": "X", "kind": "trainer"})
        .status_code
        == 404
    )
    assert (
        client_for(staff_a)
        .post(reverse("events:speaker_edit", args=[shared.pk]), {"full_name": "X", "kind": "trainer"})
        .status_code
        == 404
    )
    assert set(Speaker.objects.values_list("full_name", flat=True)) == {"Giảng Viên A", "Giảng Viên Chung"}


def test_members_get_404_on_the_roster(client_for, member_a, board_member_a):
    for user in (member_a, board_member_a):
        assert client_for(user).get(reverse("events:speakers")).status_code == 404
