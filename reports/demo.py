"""Fictitious lessons learned for the demo networks (wire into ``load_demo``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from networks.models import Network
from reports.models import LessonsLearned

PERIOD = (date(2026, 1, 1), date(2026, 12, 31))

NETWORK_TEXT = {
    "achievements": "Tổ chức lễ ra mắt và hai lớp tập huấn kỹ năng lãnh đạo; thành viên chủ động chia sẻ kinh nghiệm.",
    "difficulties": "Thành viên bận công tác chuyên môn, khó bố trí thời gian sinh hoạt chung; kinh phí còn hạn chế.",
    "lessons": "Cần sự quan tâm của lãnh đạo tỉnh và Ban Thường vụ; nội dung sinh hoạt phải gắn với nhu cầu thực tế.",
    "next_steps": "Khảo sát nhu cầu, xây dựng kế hoạch hoạt động năm và mở rộng kết nối với các mạng lưới tỉnh bạn.",
}

OVERALL_TEXT = {
    "achievements": "Ba mạng lưới thí điểm đã được thành lập và đi vào hoạt động theo quy chế.",
    "difficulties": "Việc sáp nhập tỉnh năm 2025 làm thay đổi đầu mối phụ trách ở một số địa phương.",
    "lessons": "Mô hình mạng lưới phát huy hiệu quả khi có cam kết của lãnh đạo và sự phối hợp liên ngành.",
    "next_steps": "Nhân rộng mô hình, chuẩn hóa bộ công cụ khảo sát trước và sau tập huấn.",
}


def load_reports_demo() -> int:
    """Lessons learned for every demo network and the overall section; safe to run twice.
    Returns how many entries exist for the demo period."""
    for network in Network.objects.filter(name__contains="Tự tin Hội nhập"):
        english = NETWORK_TEXT_EN if "Nghệ An" in network.name else {}
        LessonsLearned.objects.update_or_create(
            network=network, period_start=PERIOD[0], period_end=PERIOD[1], defaults={**NETWORK_TEXT, **english}
        )
    LessonsLearned.objects.update_or_create(
        network=None, period_start=PERIOD[0], period_end=PERIOD[1], defaults={**OVERALL_TEXT, **OVERALL_TEXT_EN}
    )
    load_agreement_demo()
    return LessonsLearned.objects.filter(period_start=PERIOD[0], period_end=PERIOD[1]).count()


# English versions of the demo lessons: for Nghệ An only, so the English report shows
# both an English text and the "not translated" mark.
NETWORK_TEXT_EN = {
    "achievements_en": "Held the launch ceremony and two leadership trainings; members actively shared experience.",
    "difficulties_en": "Members are busy with their jobs, so common meetings are hard to schedule; funds are limited.",
    "lessons_en": "The provincial leadership's support matters; activities must follow members' real needs.",
    "next_steps_en": "Survey needs, draft the annual plan and connect with networks in other provinces.",
}
OVERALL_TEXT_EN = {
    "achievements_en": "The three pilot networks were founded and run according to their charters.",
    "difficulties_en": "The 2025 merger of provinces changed the focal points in some localities.",
    "lessons_en": "The network model works when leaders are committed and sectors cooperate.",
    "next_steps_en": "Replicate the model and standardise the pre/post training survey kit.",
}
EVENT_TITLES_EN = {
    "Lễ ra mắt và tập huấn lần 1": "Launch ceremony and first training",
    "Tập huấn lần 2: chuyển đổi số": "Second training: digital transformation",
    "Hội thảo Lãnh đạo nữ truyền cảm hứng": "Inspiring women leaders workshop",
    "Tập huấn kỹ năng giao tiếp ngoại giao": "Training in diplomatic communication",
    "Hội thảo đánh giá mô hình Mạng lưới": "Evaluation workshop of the network model",
}
DEMO_AGREEMENT = "DEMO-UNDP-2026/01"


def load_agreement_demo() -> Any:
    """A fictitious donor agreement over the demo networks, the handbook's contract: two
    trainings and one workshop per province, amended from two provinces to three, with a
    results framework. Links the demo events to it. Safe to run twice."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from events.models import Event
    from networks.indicators import IndicatorSource as S
    from networks.models import (
        AgreementAmendment,
        BudgetLine,
        DonorAgreement,
        Indicator,
        IndicatorActual,
        IndicatorTarget,
        Result,
        ResultLevel,
    )

    networks = list(Network.objects.filter(name__contains="Tự tin Hội nhập").select_related("province"))
    agreement, created = DonorAgreement.objects.get_or_create(
        number=DEMO_AGREEMENT,
        defaults={
            "donor": "UNDP (demo)",
            "title_vi": "Thỏa thuận tài trợ (hư cấu) thí điểm Mạng lưới Lãnh đạo nữ Tự tin Hội nhập",
            "title_en": "Funding agreement (fictitious) for piloting the Confident Women Leaders' Networks",
            "project_vi": "Dự án thí điểm Mạng lưới Lãnh đạo nữ cấp tỉnh",
            "project_en": "Provincial Women Leaders' Network pilot project",
            "summary_vi": "Mỗi tỉnh tổ chức hai lớp tập huấn và một hội thảo chuyên đề.",
            "summary_en": "Each province holds two trainings and one thematic workshop.",
            "signed_on": date(2026, 1, 15),
            "starts_on": PERIOD[0],
            "ends_on": PERIOD[1],
        },
    )
    agreement.networks.set(networks)
    if created:
        AgreementAmendment.objects.create(
            agreement=agreement,
            number="01",
            signed_on=date(2026, 4, 1),
            summary_vi="Mở rộng từ hai tỉnh lên ba tỉnh.",
            summary_en="Extended from two provinces to three.",
        )
        BudgetLine.objects.create(
            agreement=agreement,
            code="B1",
            label_vi="Tập huấn và hội thảo",
            label_en="Trainings and workshops",
            amount=45000,
        )
        outcome = Result.objects.create(
            agreement=agreement,
            level=ResultLevel.OUTCOME,
            code="1",
            statement_vi="Nữ lãnh đạo tự tin hơn trong hội nhập quốc tế.",
            statement_en="Women leaders are more confident in international integration.",
        )
        output = Result.objects.create(
            agreement=agreement,
            level=ResultLevel.OUTPUT,
            parent=outcome,
            code="1.1",
            statement_vi="Mạng lưới được thành lập và tổ chức tập huấn, hội thảo.",
            statement_en="Networks are founded and hold trainings and workshops.",
        )
        specs = [
            (
                outcome,
                "1.a",
                "Tỷ lệ học viên tăng điểm kiến thức sau tập huấn",
                "Trainees whose knowledge score improved",
                "%",
                "%",
                S.IMPROVED_SHARE,
                60,
                None,
            ),
            (
                output,
                "1.1.a",
                "Số lớp tập huấn đã tổ chức",
                "Trainings held",
                "lớp",
                "trainings",
                S.TRAININGS_HELD,
                6,
                2,
            ),
            (
                output,
                "1.1.b",
                "Số hội thảo chuyên đề đã tổ chức",
                "Thematic workshops held",
                "hội thảo",
                "workshops",
                S.WORKSHOPS_HELD,
                3,
                1,
            ),
            (output, "1.1.c", "Số người được tập huấn", "People trained", "người", "people", S.PEOPLE_TRAINED, 30, 10),
            (output, "1.1.d", "Số thành viên mạng lưới", "Network members", "người", "people", S.MEMBERS, 36, 12),
            (output, "1.1.e", "Số tin bài truyền thông", "Media items", "tin bài", "items", S.MEDIA_ITEMS, 6, 2),
            (output, "1.1.f", "Số kiến nghị chính sách được tỉnh tiếp thu", "", "kiến nghị", "", S.MANUAL, 3, 1),
        ]
        for result, code, vi, en, unit_vi, unit_en, source, target, per_province in specs:
            indicator = Indicator.objects.create(
                result=result,
                code=code,
                name_vi=vi,
                name_en=en,
                unit_vi=unit_vi,
                unit_en=unit_en,
                source=source,
                target=target,
            )
            if per_province is not None:
                IndicatorTarget.objects.bulk_create(
                    [IndicatorTarget(indicator=indicator, province=n.province, target=per_province) for n in networks]
                )
            if source == S.MANUAL and networks:
                actual = IndicatorActual(
                    indicator=indicator,
                    province=networks[0].province,
                    as_of=date(2026, 9, 30),
                    value=1,
                    note="Biên bản làm việc (hư cấu)",
                    entered_at=timezone.now(),
                )
                actual.evidence.save("bien-ban-demo.txt", ContentFile(b"Bien ban (hu cau)"), save=False)
                actual.save()
    for vi, en in EVENT_TITLES_EN.items():
        Event.objects.filter(title__startswith=f"[Demo] {vi}", title_en="").update(
            title_en=f"[Demo] {en}", agreement=agreement
        )
    return agreement
