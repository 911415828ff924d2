import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from networks.models import Network
from portal.models import Role, User

pytestmark = pytest.mark.django_db


def test_home_says_what_the_portal_is_to_anonymous_visitors(client, reference_data):
    body = client.get("/").content.decode()
    assert "Cổng thông tin Mạng lưới Lãnh đạo nữ" in body
    assert reverse("account_login") in body


@pytest.mark.parametrize(
    ("persona", "phrase"),
    [
        ("central_staff", "xem được tất cả các tỉnh"),
        ("staff_a", "Bạn quản lý các mạng lưới của Hưng Yên"),
        ("board_member_a", "Bạn cùng điều hành Mạng lưới tỉnh A"),
        ("member_a", "Cập nhật hồ sơ"),
        ("donor_viewer", "số liệu tổng hợp"),
    ],
)
def test_home_leads_each_role_to_its_work(request, client, persona, phrase):
    client.force_login(request.getfixturevalue(persona))
    assert phrase in client.get("/").content.decode()


def test_visible_networks_per_role(
    central_staff, staff_a, staff_b, board_member_a, member_a, donor_viewer, network_a, network_b
):
    def visible(user):
        return set(Network.objects.visible_to(user))

    assert visible(central_staff) == {network_a, network_b}
    assert visible(staff_a) == {network_a}
    assert visible(staff_b) == {network_b}
    assert visible(board_member_a) == {network_a}
    assert visible(member_a) == {network_a}
    assert visible(donor_viewer) == {network_a, network_b}


def test_anonymous_and_inactive_users_see_nothing(staff_a, network_a):
    from django.contrib.auth.models import AnonymousUser

    assert not Network.objects.visible_to(AnonymousUser()).exists()
    staff_a.is_active = False
    assert not Network.objects.visible_to(staff_a).exists()


def test_provincial_staff_must_have_a_province():
    user = User(email="x@example.org", role=Role.PROVINCIAL_STAFF)
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert "province" in exc.value.message_dict


def test_members_and_donors_cannot_open_the_back_office(client, member_a, donor_viewer):
    for user in (member_a, donor_viewer):
        client.force_login(user)
        response = client.get("/admin/networks/network/")
        assert response.status_code in (302, 403)


def test_provincial_staff_cannot_open_user_admin(client, staff_a):
    client.force_login(staff_a)
    assert client.get("/admin/portal/user/").status_code == 403


def test_provincial_staff_cannot_create_a_network_in_another_province(client, staff_a, province_b):
    client.force_login(staff_a)
    response = client.post(
        "/admin/networks/network/add/",
        {"name": "Lén tạo", "province": province_b.pk, "kind": "network", "status": "planned"},
    )
    assert response.status_code == 200  # form redisplayed with an error
    assert not Network.objects.filter(name="Lén tạo").exists()


@pytest.mark.parametrize(
    ("persona", "sees_reports"),
    [
        ("staff_a", True),
        ("central_staff", True),
        ("donor_viewer", True),
        ("member_a", False),
        ("board_member_a", False),
    ],
)
def test_navigation_offers_reports_only_to_those_who_may_open_them(request, client, persona, sees_reports):
    client.force_login(request.getfixturevalue(persona))
    assert (f'href="{reverse("reports:list")}"' in client.get("/").content.decode()) is sees_reports


def test_members_get_a_link_to_their_profile(client, member_a, staff_a):
    client.force_login(member_a)
    assert f'href="{reverse("members:me")}"' in client.get("/").content.decode()
    client.force_login(staff_a)
    assert f'href="{reverse("members:me")}"' not in client.get("/").content.decode()
