"""Fixtures for the members tests: a candidate in province A, and a way to build files."""

from __future__ import annotations

import pytest

from members import services
from tests.factories import PersonFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded import files go to a temporary folder, not the worktree's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.IMPORT_FILES_ROOT = tmp_path / "private" / "imports"


@pytest.fixture
def candidate_a(network_a, staff_a):
    person = services.person_create(
        province_id=network_a.province_id,
        data={
            "full_name": "Nguyễn Thị Hoa",
            "phone": "0912 345 678",
            "email": "hoa@example.org",
            "organisation": "Sở Tài chính",
        },
        basis=services.LawfulBasis.official_list(source="Danh sách ứng viên (thử)", by=staff_a),
    )
    return services.membership_propose(network=network_a, person=person, actor=staff_a)


@pytest.fixture
def person_b(province_b):
    return PersonFactory(province=province_b, full_name="Lê Thị Nghệ")


def link_for(signed: str) -> str:
    return f"http://testserver/members/apply/{signed}/"
