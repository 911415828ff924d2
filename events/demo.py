"""Fictitious demo events for the three pilot networks (run after ``portal.demo.load_demo``).
Every name is invented; links point to example domains."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from events import services
from events.models import Event, Invitation, Speaker, Topic
from networks.models import Network
from portal.models import Role, User

SPEAKERS = [
    # (kind, title, full name, organisation, bio_vi, bio_en)
    (
        Speaker.Kind.TRAINER,
        "TS.",
        "Trần Minh Khuê",
        "Học viện Phụ nữ (hư cấu)",
        "Giảng viên về giới và lãnh đạo, 15 năm kinh nghiệm tập huấn cho cán bộ nữ.",
        "Trainer in gender and leadership with 15 years of experience training women officials.",
    ),
    (
        Speaker.Kind.TRAINER,
        "ThS.",
        "Đoàn Thu Giang",
        "Viện Chuyển đổi số (hư cấu)",
        "Chuyên gia chuyển đổi số trong khu vực công.",
        "Expert in digital transformation in the public sector.",
    ),
    (
        Speaker.Kind.GUEST_SPEAKER,
        "",
        "Hà Ngọc Diệp",
        "Công ty Lụa Quê (hư cấu)",
        "Nữ doanh nhân, sáng lập doanh nghiệp xuất khẩu thủ công mỹ nghệ.",
        "Businesswoman, founder of a handicraft export company.",
    ),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@transaction.atomic
def load_events_demo(seed: int = 2023) -> int:
    """Create the demo speakers, events, invitations, attendance and news items for the
    pilot networks; safe to run twice. Returns the number of events created."""
    rng = random.Random(seed)
    central = User.objects.filter(role=Role.CENTRAL_STAFF).order_by("pk").first()
    networks = list(Network.objects.filter(legacy_province__isnull=False).order_by("pk")[:3])
    if central is None or not networks or Event.objects.filter(title__startswith="[Demo]").exists():
        return 0
    speakers = []
    for kind, title, name, org, bio_vi, bio_en in SPEAKERS:
        speaker = Speaker.objects.filter(full_name=name).first() or services.speaker_create(
            kind=kind, title=title, full_name=name, organisation=org, bio_vi=bio_vi, bio_en=bio_en
        )
        speakers.append(speaker)
    topics = list(Topic.objects.order_by("pk"))
    today = timezone.localdate()
    created = 0
    for index, network in enumerate(networks):
        province_name = network.historical_province_name
        plan = [
            ("Lễ ra mắt và tập huấn lần 1", Event.Kind.TRAINING, today - timedelta(days=200 - index), Decimal("1")),
            ("Tập huấn lần 2: chuyển đổi số", Event.Kind.TRAINING, today - timedelta(days=120 - index), Decimal("1")),
            (
                "Hội thảo Lãnh đạo nữ truyền cảm hứng",
                Event.Kind.THEMATIC_WORKSHOP,
                today - timedelta(days=60),
                Decimal("0.5"),
            ),
            (
                "Tập huấn kỹ năng giao tiếp ngoại giao",
                Event.Kind.TRAINING,
                today + timedelta(days=20 + index),
                Decimal("1"),
            ),
        ]
        for title, kind, day, days in plan:
            held = day < today
            event = services.event_create(
                by=central,
                networks=[network],
                title=f"[Demo] {title} — {province_name}",
                kind=kind,
                starts_at=_at(day, 8),
                ends_at=_at(day, 12 if days < 1 else 17),
                duration_days=days,
                venue=f"Hội trường Hội LHPN tỉnh {network.province.name}",
                topics=rng.sample(topics, k=min(2, len(topics))),
                capacity=40,
                status=Event.Status.HELD if held else Event.Status.PLANNED,
            )
            created += 1
            speaker = speakers[2] if kind == Event.Kind.THEMATIC_WORKSHOP else speakers[rng.randint(0, 1)]
            services.agenda_item_add(event=event, title="Khai mạc", starts_at=time(8, 0), ends_at=time(8, 30))
            services.agenda_item_add(
                event=event, title=title, starts_at=time(8, 30), ends_at=time(11, 30), speaker=speaker
            )
            services.invitation_invite_members(event=event, by=central)
            for guest in range(2):
                services.invitation_invite_guest(
                    event=event,
                    by=central,
                    province=network.province,
                    full_name=f"Khách mời {guest + 1} ({province_name})",
                    organisation="Hội LHPN xã (hư cấu)",
                )
            if held:
                invitations = list(Invitation.objects.filter(event=event).select_related("person"))
                Invitation.objects.filter(event=event).update(status=Invitation.Status.ACCEPTED)
                for invitation in invitations:
                    if rng.random() < 0.8:
                        services.attendance_check_in(
                            event=event, person=invitation.person, by=central, now=event.starts_at
                        )
                services.media_coverage_add(
                    event=event,
                    outlet=f"Báo {network.province.name} (hư cấu)",
                    published_on=day + timedelta(days=1),
                    title=f"{title} tại {province_name}",
                    url=f"https://tin-tuc.example.org/{event.pk}",
                )
    workshop_day = today - timedelta(days=30)
    workshop = services.event_create(
        by=central,
        networks=networks,
        title="[Demo] Hội thảo đánh giá mô hình Mạng lưới",
        kind=Event.Kind.EVALUATION_WORKSHOP,
        starts_at=_at(workshop_day, 8),
        ends_at=_at(workshop_day, 12),
        duration_days=Decimal("0.5"),
        mode=Event.Mode.HYBRID,
        venue="Hà Nội",
        online_link="https://hop-truc-tuyen.example.org/danh-gia",
        status=Event.Status.HELD,
    )
    created += 1
    services.invitation_invite_members(event=workshop, by=central)
    for invitation in Invitation.objects.filter(event=workshop).select_related("person"):
        if rng.random() < 0.7:
            services.attendance_check_in(event=workshop, person=invitation.person, by=central, now=workshop.starts_at)
    return created
