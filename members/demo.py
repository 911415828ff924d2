"""Fictitious demo additions for networks and members; run after ``portal.demo.load_demo``.
Safe to run twice."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from members import services
from members.models import Membership, Person
from networks.models import ActivityPlan, BoardSeat, BoardTerm, Network, PlannedActivity


@transaction.atomic
def load_members_demo() -> None:
    """Search text for every person; for each network a founding decision, a 2026 plan and
    a board elected at the launch ceremony; candidates spread over the pipeline stages."""
    for person in Person.objects.filter(search_text=""):
        person.search_text = person.compute_search_text()
        person.save(update_fields=["search_text"])
    for i, network in enumerate(Network.objects.all().order_by("pk")):
        if not network.decision_number:
            network.decision_number = f"{100 + i}/QĐ-HLHPN"
            network.decision_date = network.launch_date or date(2022, 10, 1)
            network.decision_signer = "Chủ tịch Hội LHPN tỉnh (demo)"
            network.save()
        plan, created = ActivityPlan.objects.get_or_create(network=network, year=2026)
        if created:
            for title, target, when in [
                ("Tập huấn kỹ năng lãnh đạo trong hội nhập quốc tế", "40 thành viên", "Quý 2"),
                ("Hội thảo Lãnh đạo nữ truyền cảm hứng", "60 người tham dự", "Quý 3"),
                ("Học tập kinh nghiệm tỉnh bạn", "15 thành viên", "Quý 4"),
            ]:
                PlannedActivity.objects.create(plan=plan, title=title, target=target, planned_for=when)
        members = list(
            Person.objects.filter(memberships__network=network, memberships__status=Membership.Status.MEMBER).order_by(
                "pk"
            )[:4]
        )
        if members and not network.board_terms.exists():
            term = BoardTerm.objects.create(
                network=network, starts_on=network.launch_date or date(2022, 11, 1), how_elected="Bầu tại Lễ ra mắt"
            )
            roles = [BoardSeat.Role.CHAIR, BoardSeat.Role.VICE_CHAIR, BoardSeat.Role.VICE_CHAIR, BoardSeat.Role.MEMBER]
            tasks = ["Điều hành chung", "Phụ trách đào tạo", "Phụ trách truyền thông", "Thư ký"]
            for person, role, task in zip(members, roles, tasks, strict=False):
                BoardSeat.objects.create(term=term, person=person, role=role, tasks=task)
        # Move the candidates along: one approved, one invited.
        candidates = list(network.memberships.filter(status=Membership.Status.CANDIDATE).order_by("pk"))
        if len(candidates) >= 2:
            services.membership_approve(memberships=candidates[:2], actor=None, reference="Ý kiến Thường trực (demo)")
            services.membership_invite(memberships=candidates[1:2], actor=None, link_for=lambda signed: signed)
