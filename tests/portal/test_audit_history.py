import pytest

from networks.models import Network

pytestmark = pytest.mark.django_db


def test_admin_changes_record_who_and_when(client, staff_a, network_a):
    client.force_login(staff_a)
    response = client.post(
        f"/admin/networks/network/{network_a.pk}/change/",
        {"name": "Tên mới", "province": network_a.province_id, "kind": "club", "status": "active"},
    )
    assert response.status_code == 302
    latest = network_a.history.latest()
    assert latest.history_user == staff_a
    assert latest.history_type == "~"
    assert latest.name == "Tên mới"
    history_page = client.get(f"/admin/networks/network/{network_a.pk}/history/")
    assert "Tên mới" in history_page.content.decode()


def test_deletion_is_recorded(client, staff_a, network_a):
    client.force_login(staff_a)
    pk = network_a.pk
    client.post(f"/admin/networks/network/{pk}/delete/", {"post": "yes"})
    assert not Network.objects.filter(pk=pk).exists()
    deleted = Network.history.filter(id=pk, history_type="-").get()
    assert deleted.history_user == staff_a


def test_demo_loads_and_prints_a_login_per_role(capsys, reference_data):
    from django.core.management import call_command

    call_command("load_demo")
    out = capsys.readouterr().out
    for email in [
        "trunguong@demo.vn",
        "hungyen@demo.vn",
        "banchunhiem@demo.vn",
        "thanhvien@demo.vn",
        "nhataitro@demo.vn",
    ]:
        assert email in out
    assert Network.objects.count() == 3
    assert {n.historical_province_name for n in Network.objects.all()} == {"Thái Bình", "Nghệ An", "Kon Tum"}
