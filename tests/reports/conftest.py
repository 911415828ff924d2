from __future__ import annotations

from datetime import UTC, datetime

import pytest

from members.models import Category
from tests.factories import EventFactory, MembershipFactory
from tests.reports.factories import LessonsLearnedFactory


@pytest.fixture
def populated_networks(network_a, network_b, reference_data):
    """Two networks with members of several categories, events and lessons in 2026."""
    MembershipFactory.create_batch(3, network=network_a, person__category=Category.BUSINESSWOMAN)
    MembershipFactory(network=network_a, person__full_name="Hà Thị Riêng Tư", person__ethnicity="Tày")
    MembershipFactory.create_batch(2, network=network_b, person__ethnicity="Thái")
    MembershipFactory(network=network_b, status="candidate")
    EventFactory(
        status="held",
        networks=[network_a],
        title="Tập huấn kỹ năng lãnh đạo",
        kind="training",
        starts_at=datetime(2026, 3, 2, 1, tzinfo=UTC),
        ends_at=datetime(2026, 3, 3, 9, tzinfo=UTC),
    )
    EventFactory(
        status="held",
        networks=[network_a, network_b],
        title="Hội thảo đánh giá",
        kind="evaluation",
        starts_at=datetime(2026, 6, 5, 1, tzinfo=UTC),
        ends_at=datetime(2026, 6, 5, 9, tzinfo=UTC),
    )
    EventFactory(status="held", networks=[network_b], title="Ngoài kỳ", starts_at=datetime(2025, 6, 5, 1, tzinfo=UTC))
    LessonsLearnedFactory(network=network_a, achievements="Thành tựu nổi bật của tỉnh A")
    LessonsLearnedFactory(network=None, lessons="Bài học chung toàn dự án")
    return network_a, network_b


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run report tasks in-process (as without REDIS_URL) except in the real-worker test,
    so the same tests pass with and without a broker."""
    from portal.celery import app

    if request.node.get_closest_marker("worker"):
        yield
        return
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old
