"""Fictitious lessons learned for the demo networks (wire into ``load_demo``)."""

from __future__ import annotations

from datetime import date

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
        LessonsLearned.objects.update_or_create(
            network=network, period_start=PERIOD[0], period_end=PERIOD[1], defaults=NETWORK_TEXT
        )
    LessonsLearned.objects.update_or_create(
        network=None, period_start=PERIOD[0], period_end=PERIOD[1], defaults=OVERALL_TEXT
    )
    return LessonsLearned.objects.filter(period_start=PERIOD[0], period_end=PERIOD[1]).count()
