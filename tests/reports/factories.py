"""Factories for the reports app."""

from __future__ import annotations

from datetime import date

import factory

from reports.models import LessonsLearned, ReportRequest
from tests.factories import NetworkFactory


class LessonsLearnedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonsLearned

    network = factory.SubFactory(NetworkFactory)
    period_start = date(2026, 1, 1)
    period_end = date(2026, 12, 31)
    achievements = "Ra mắt mạng lưới, kết nạp hội viên."
    difficulties = "Kinh phí hạn chế."
    lessons = "Cần sự ủng hộ của lãnh đạo tỉnh."
    next_steps = "Tổ chức tập huấn kỹ năng lãnh đạo."


def make_report(networks, **fields) -> ReportRequest:  # noqa: ANN001
    """A queued report request over ``networks`` (not generated: call ``report_generate``)."""
    networks = list(networks)
    fields.setdefault("kind", ReportRequest.Kind.PROVINCIAL)
    fields.setdefault("period_start", date(2026, 1, 1))
    fields.setdefault("period_end", date(2026, 12, 31))
    if fields["kind"] == ReportRequest.Kind.PROVINCIAL:
        fields.setdefault("province", networks[0].province)
    report = ReportRequest.objects.create(**fields)
    report.networks.set(networks)
    return report


def period_of(networks, start=date(2026, 1, 1), end=date(2026, 12, 31), cutoff=None, user=None):  # noqa: ANN001, ANN201
    """The report's ``figures.Period`` over ``networks`` (objects or ids)."""
    from reports.figures import Period
    from reports.period import Window

    ids = [getattr(n, "pk", n) for n in networks]
    return Period(ids, Window.of(start, end, cutoff), user=user)
