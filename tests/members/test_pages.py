"""Every staff page renders for her own province (the access-denied side is in the other files)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members import services
from tests.members.conftest import link_for

pytestmark = pytest.mark.django_db


def test_staff_pages_render_in_vietnamese(client_for, staff_a, candidate_a, network_a):
    services.membership_approve(memberships=[candidate_a], actor=staff_a, reference="CV 9")
    services.membership_invite(memberships=[candidate_a], actor=staff_a, link_for=link_for)
    client = client_for(staff_a)
    pages = {
        reverse("members:list"): "Thành viên và ứng viên",
        reverse("members:pipeline"): "Quy trình kết nạp thành viên",
        reverse("members:propose"): "Đề xuất ứng viên",
        reverse("members:import"): "Nhập danh sách thành viên",
        reverse("members:dashboard"): "Tính đại diện",
        reverse("members:person", args=[candidate_a.person.pk]): "Nguyễn Thị Hoa",
        reverse("members:person_edit", args=[candidate_a.person.pk]): "Họ và tên",
        reverse("members:membership", args=[candidate_a.pk]): "Đường dẫn cá nhân",
        reverse("members:paper_application", args=[candidate_a.pk]): "Đơn giấy",
        reverse("networks:detail", args=[network_a.pk]): "Ban Chủ nhiệm",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
