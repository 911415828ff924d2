"""factory_boy factories for the events app."""

from __future__ import annotations

from datetime import date

import factory
from django.utils import timezone

from events.models import AgendaItem, Attendance, Invitation, MediaCoverage, Speaker, Topic
from tests.factories import EventFactory, PersonFactory


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Chủ đề {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    full_name = factory.Sequence(lambda n: f"Giảng viên {n}")
    title = "TS."
    organisation = "Học viện Thử nghiệm"
    bio_vi = "Chuyên gia về giới và lãnh đạo."
    bio_en = "Expert in gender and leadership."


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    event = factory.SubFactory(EventFactory)
    starts_at = "08:30"
    title = factory.Sequence(lambda n: f"Phiên {n}")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    is_member = False


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    is_member = False
    method = Attendance.Method.STAFF
    checked_in_at = factory.LazyFunction(timezone.now)


class MediaCoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaCoverage

    event = factory.SubFactory(EventFactory)
    outlet = "Báo Phụ nữ Việt Nam"
    published_on = date(2026, 3, 8)
    title = factory.Sequence(lambda n: f"Bản tin {n}")
    url = factory.Sequence(lambda n: f"https://phunuvietnam.example/tin-{n}")
