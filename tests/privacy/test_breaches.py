"""Issue 11 (7): the breach register: central staff record an incident with its
discovery time; the portal shows the 72-hour deadline and drafts the notification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import Breach

pytestmark = pytest.mark.django_db


def _post(client, **overrides):
    discovered = timezone.localtime(timezone.now() - timedelta(hours=10))
    data = {
        "title": "Mất máy tính xách tay",
        "discovered_at": discovered.strftime("%d/%m/%Y %H:%M"),
        "description": "Máy tính có danh sách thành viên bị mất.",
        "data_categories": "Họ tên, điện thoại, dân tộc",
        "people_affected": "120",
        "consequences": "Lộ số điện thoại",
        "measures": "Đổi mật khẩu",
        "contact": "Nguyễn Văn Liên Hệ",
        **overrides,
    }
    return client.post(reverse("breach_create"), data)


def test_central_staff_record_a_breach_and_see_the_deadline_and_draft(client_for, central_staff, province_a):
    client = client_for(central_staff)
    response = _post(client, provinces=[province_a.pk])
    breach = Breach.objects.get()
    assert response.status_code == 302
    assert breach.deadline == breach.discovered_at + timedelta(hours=72)
    page = client.get(reverse("breach_detail", args=[breach.pk]))
    html = page.content.decode()
    assert timezone.localtime(breach.deadline).strftime("%d/%m/%Y %H:%M") in html
    assert 55 < page.context["hours_left"] <= 62
    draft = page.context["draft"]
    assert "Mất máy tính xách tay" in draft and "Họ tên, điện thoại, dân tộc" in draft and "120" in draft
    assert province_a.name in draft and "A05" in draft


def test_a_late_breach_says_so_in_the_draft(client_for, central_staff):
    client = client_for(central_staff)
    old = timezone.localtime(timezone.now() - timedelta(hours=80)).strftime("%d/%m/%Y %H:%M")
    _post(client, discovered_at=old)
    page = client.get(reverse("breach_detail", args=[Breach.objects.get().pk]))
    assert page.context["hours_left"] < 0
    assert "72" in page.context["draft"]


def test_discovery_in_the_future_is_refused_with_a_message(client_for, central_staff):
    future = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%d/%m/%Y %H:%M")
    response = _post(client_for(central_staff), discovered_at=future)
    assert response.status_code == 200 and not Breach.objects.exists()
    assert "tương lai" in response.content.decode()


def test_marking_notified(client_for, central_staff):
    client = client_for(central_staff)
    _post(client)
    breach = Breach.objects.get()
    client.post(reverse("breach_notified", args=[breach.pk]))
    breach.refresh_from_db()
    assert breach.status == Breach.Status.NOTIFIED and breach.notified_at


def test_the_register_is_central_only(client_for, central_staff, staff_a, member_a, donor_viewer):
    _post(client_for(central_staff))
    breach = Breach.objects.get()
    for user in (staff_a, member_a, donor_viewer):
        client = client_for(user)
        assert client.get(reverse("breach_list")).status_code == 404
        assert client.get(reverse("breach_detail", args=[breach.pk])).status_code == 404
        assert client.post(reverse("breach_notified", args=[breach.pk])).status_code == 404
        assert _post(client).status_code == 404
    assert Breach.objects.count() == 1
