"""Retention: candidates never admitted and guests are anonymised RETENTION_MONTHS after
their last activity by a daily task (also a management command); members are kept;
unconfirmed import files go after a day, on the same schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from events.models import Attendance
from members import services, tasks
from members.models import Membership, MembershipStep, Person
from tests.factories import EventFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _age(person, days):
    """Make ``person`` (and her pipeline steps) ``days`` old."""
    when = timezone.now() - timedelta(days=days)
    Person.objects.filter(pk=person.pk).update(created_at=when)
    MembershipStep.objects.filter(membership__person=person).update(acted_at=when)
    return person


@pytest.fixture
def people(network_a, staff_a):
    old_candidate = MembershipFactory(
        network=network_a, status=Membership.Status.CANDIDATE, person__full_name="Ứng Viên Cũ"
    )
    MembershipStep.objects.create(membership=old_candidate, to_status="candidate", acted_at=timezone.now())
    old_guest = PersonFactory(province=network_a.province, full_name="Khách Cũ")
    recent_guest = PersonFactory(province=network_a.province, full_name="Khách Mới")
    old_member = MembershipFactory(network=network_a, person__full_name="Hội Viên Lâu Năm")
    old_left = MembershipFactory(network=network_a, status=Membership.Status.LEFT, person__full_name="Đã Rời")
    for person in (old_candidate.person, old_guest, old_member.person, old_left.person):
        _age(person, 800)
    # The recent guest was created long ago but checked in at an event last month.
    _age(recent_guest, 800)
    event = EventFactory(networks=[network_a])
    Attendance.objects.create(
        event=event, person=recent_guest, is_member=False, checked_in_at=timezone.now() - timedelta(days=30)
    )
    return {
        "old_candidate": old_candidate.person,
        "old_guest": old_guest,
        "recent_guest": recent_guest,
        "old_member": old_member.person,
        "old_left": old_left.person,
    }


def test_the_period_is_a_setting_of_24_months_by_default():
    assert settings.RETENTION_MONTHS == 24
    cutoff = services.retention_cutoff()
    assert timedelta(days=727) < timezone.now() - cutoff < timedelta(days=733)


def test_the_task_anonymises_an_old_candidate_and_an_old_guest_only(people):
    assert tasks.anonymise_past_retention.delay().get() == 2
    for name, person in people.items():
        person.refresh_from_db()
        expected = name in ("old_candidate", "old_guest")
        assert bool(person.anonymised_at) is expected, name
    assert people["old_candidate"].full_name == services.ANONYMOUS_NAME
    assert people["recent_guest"].full_name == "Khách Mới"
    assert tasks.anonymise_past_retention.delay().get() == 0, "idempotent"


def test_a_recent_pipeline_step_keeps_a_candidate(people, staff_a):
    membership = people["old_candidate"].memberships.get()
    MembershipStep.objects.create(membership=membership, to_status="candidate", acted_at=timezone.now())
    assert people["old_candidate"] not in services.people_past_retention()


def test_a_shorter_period_from_settings_applies(settings, people):
    settings.RETENTION_MONTHS = 48
    assert services.people_past_retention().count() == 0


def test_the_command_can_count_first_then_anonymise(people, capsys):
    call_command("anonymise_past_retention", "--dry-run")
    assert "would anonymise: 2" in capsys.readouterr().out
    assert not Person.objects.filter(anonymised_at__isnull=False).exists()
    call_command("anonymise_past_retention")
    assert "anonymised: 2" in capsys.readouterr().out


def test_both_clean_ups_are_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "members.tasks.anonymise_past_retention" in tasks_scheduled
    assert "members.tasks.cleanup_import_previews" in tasks_scheduled


def test_an_unconfirmed_import_file_is_deleted_after_a_day(settings, tmp_path, staff_a, province_a):
    import os

    import tablib

    settings.IMPORT_FILES_ROOT = tmp_path / "imports"
    dataset = tablib.Dataset(headers=["Họ và tên"])
    dataset.append(["Người Trong Tệp"])
    _plan, preview = services.import_preview_create(
        content=dataset.export("xlsx"), file_name="ds.xlsx", province_id=province_a.pk, actor=staff_a
    )
    path = os.path.join(settings.IMPORT_FILES_ROOT, preview.stored_path)
    assert os.path.exists(path)
    assert tasks.cleanup_import_previews.delay().get() == 0, "an open preview keeps its file"
    services.import_previews_cleanup(now=timezone.now() + timedelta(days=1, hours=2))
    assert not os.path.exists(path), "never confirmed: the file is gone after a day"
