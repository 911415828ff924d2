"""Fictitious demo data: the three pilot networks with invented members, and one
login per role. Every name here is made up."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from members.models import Category, Membership, Person
from networks.models import Commune, LegacyProvince, Network
from portal.models import Role, User

DEMO_PASSWORD = "DemoPortal-2026"  # noqa: S105 - printed on purpose, demo only

PILOTS = [
    # (legacy province, network name, ethnic groups seen there)
    ("Thái Bình", "Mạng lưới Lãnh đạo nữ Tự tin Hội nhập tỉnh Thái Bình", ["Kinh"]),
    ("Nghệ An", "Mạng lưới Lãnh đạo nữ Tự tin Hội nhập tỉnh Nghệ An", ["Kinh", "Thái", "Khơ Mú", "Mông"]),
    ("Kon Tum", "Câu lạc bộ Lãnh đạo nữ Tự tin Hội nhập tỉnh Kon Tum", ["Kinh", "Xơ Đăng", "Ba Na", "Gia Rai"]),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Thị Thu", "Thị Minh", "Thị Ngọc", "Thanh", "Thị Hồng", "Thị Lan"]
GIVEN = ["Hoa", "Lan", "Mai", "Hương", "Hạnh", "Thảo", "Linh", "Nga", "Yến", "Vân", "Trang", "Phương", "Dung", "Hà"]
ORGS = {
    Category.DEPARTMENT_LEADER: ("Sở Kế hoạch và Đầu tư", "Phó Giám đốc"),
    Category.BUSINESSWOMAN: ("Công ty TNHH Hương Quê (hư cấu)", "Giám đốc"),
    Category.DEPUTY: ("Hội đồng nhân dân tỉnh", "Đại biểu"),
    Category.UNION_OFFICIAL: ("Hội LHPN tỉnh", "Phó Chủ tịch"),
    Category.ACADEMIC: ("Trường Cao đẳng Sư phạm", "Trưởng khoa"),
    Category.YOUTH: ("Tỉnh đoàn", "Phó Bí thư"),
}


@dataclass
class DemoLogin:
    role: str
    email: str
    scope: str


def _user(email: str, full_name: str, role: str, **extra: object) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name, role=role, **extra)
    user.is_staff = role in (Role.CENTRAL_STAFF, Role.PROVINCIAL_STAFF)
    user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def load_demo(members_per_network: int = 14, seed: int = 2022) -> list[DemoLogin]:
    """Create the demo networks, members and one login per role; safe to run twice."""
    rng = random.Random(seed)  # deterministic, so the demo looks the same everywhere
    networks: list[Network] = []
    for legacy_name, network_name, ethnicities in PILOTS:
        legacy = LegacyProvince.objects.select_related("province").get(name=legacy_name)
        network, created = Network.objects.get_or_create(
            name=network_name,
            defaults={
                "province": legacy.province,
                "legacy_province": legacy,
                "status": Network.Status.ACTIVE,
                "launch_date": date(2022, 11, rng.randint(1, 28)),
                "kind": Network.Kind.CLUB if "Câu lạc bộ" in network_name else Network.Kind.NETWORK,
            },
        )
        networks.append(network)
        if not created:
            continue
        communes = list(Commune.objects.filter(province=legacy.province).order_by("code")[:40])
        for i in range(members_per_network):
            category = list(ORGS)[i % len(ORGS)]
            org, position = ORGS[category]
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            person = Person.objects.create(
                province=legacy.province,
                full_name=name,
                year_of_birth=rng.randint(1968, 1998),
                ethnicity=rng.choice(ethnicities),
                phone=f"+8491{rng.randint(1000000, 9999999)}",
                email=f"demo.{network.pk}.{i}@example.org",
                organisation=org,
                position=position,
                category=category,
                commune=rng.choice(communes),
                is_young_potential_leader=i % 5 == 0,
            )
            status = Membership.Status.MEMBER if i < members_per_network - 3 else Membership.Status.CANDIDATE
            Membership.objects.create(
                network=network,
                person=person,
                status=status,
                joined_on=network.launch_date if status == Membership.Status.MEMBER else None,
            )

    thai_binh, nghe_an, kon_tum = networks
    member_user = _user("thanhvien@demo.vn", "Lê Thị Demo", Role.MEMBER)
    first = Person.objects.filter(memberships__network=thai_binh).order_by("pk").first()
    if first and first.user_id is None and not Person.objects.filter(user=member_user).exists():
        first.user = member_user
        first.save(update_fields=["user"])
        member_user.full_name = first.full_name
        member_user.save(update_fields=["full_name"])
    _user("trunguong@demo.vn", "Cán bộ Trung ương (demo)", Role.CENTRAL_STAFF)
    _user("hungyen@demo.vn", "Cán bộ Hội LHPN Hưng Yên (demo)", Role.PROVINCIAL_STAFF, province=thai_binh.province)
    _user("nghean@demo.vn", "Cán bộ Hội LHPN Nghệ An (demo)", Role.PROVINCIAL_STAFF, province=nghe_an.province)
    _user("quangngai@demo.vn", "Cán bộ Hội LHPN Quảng Ngãi (demo)", Role.PROVINCIAL_STAFF, province=kon_tum.province)
    _user("banchunhiem@demo.vn", "Thành viên Ban Chủ nhiệm (demo)", Role.BOARD_MEMBER, network=nghe_an)
    _user("nhataitro@demo.vn", "Cán bộ UNDP (demo)", Role.DONOR_VIEWER)
    return [
        DemoLogin("Central Union staff", "trunguong@demo.vn", "all provinces"),
        DemoLogin("Provincial staff", "hungyen@demo.vn", "Hưng Yên (Thái Bình network)"),
        DemoLogin("Provincial staff", "nghean@demo.vn", "Nghệ An"),
        DemoLogin("Provincial staff", "quangngai@demo.vn", "Quảng Ngãi (Kon Tum club)"),
        DemoLogin("Board member", "banchunhiem@demo.vn", nghe_an.name),
        DemoLogin("Member", "thanhvien@demo.vn", thai_binh.name),
        DemoLogin("Donor viewer", "nhataitro@demo.vn", "aggregates and donor reports"),
    ]
