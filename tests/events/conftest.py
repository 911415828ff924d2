"""Fixtures for the events tests: a training of network A with members, and the
evaluation workshop that spans three provinces."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import EventFactory, MembershipFactory, NetworkFactory, UserFactory, province


@pytest.fixture
def members_a(network_a):
    """Three members of network A (the persona member_a is separate)."""
    return [
        MembershipFactory(network=network_a, person__full_name=name).person
        for name in ("Lê Thị Hoa", "Phạm Thu Hà", "Vũ Minh Trang")
    ]


@pytest.fixture
def training_a(network_a):
    return EventFactory(title="Tập huấn chuyển đổi số", networks=[network_a], duration_days=Decimal("1.0"))


@pytest.fixture
def past_training_a(network_a):
    start = timezone.now() - timedelta(days=3)
    return EventFactory(
        title="Tập huấn đã diễn ra", networks=[network_a], starts_at=start, ends_at=start + timedelta(hours=8)
    )


@pytest.fixture
def province_c(reference_data):
    return province("quang_ngai")


@pytest.fixture
def network_c(province_c):
    return NetworkFactory(province=province_c, name="Câu lạc bộ tỉnh C")


@pytest.fixture
def staff_c(province_c):
    return UserFactory(email="dana@example.org", role="provincial", province=province_c)


@pytest.fixture
def workshop(network_a, network_b, network_c):
    """The hybrid evaluation workshop of three provincial networks."""
    return EventFactory(
        title="Hội thảo đánh giá",
        kind="evaluation",
        networks=[network_a, network_b, network_c],
        duration_days=Decimal("0.5"),
        mode="hybrid",
        venue="Hà Nội",
        online_link="https://meet.example.org/danh-gia",
    )
