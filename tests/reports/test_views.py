"""Report pages: requesting, status, download, lessons learned; who may do what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.models import LessonsLearned, ReportRequest
from reports.services import report_generate
from tests.factories import MembershipFactory, NetworkFactory
from tests.reports.factories import LessonsLearnedFactory, make_report

pytestmark = pytest.mark.django_db


def _post_request(client, networks, kind="provincial", **extra):
    data = {
        "kind": kind,
        "networks": [n.pk for n in networks],
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "language": "vi",
        "donor_agreement": "UNDP-VWU 2026",
        **extra,
    }
    return client.post(reverse("reports:create"), data)


def test_provincial_staff_request_their_report_and_it_is_generated(
    client_for, staff_a, network_a, django_capture_on_commit_callbacks
):
    client = client_for(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_request(client, [network_a])
    report = ReportRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.pk])
    assert report.status == "done" and report.province == network_a.province and report.requested_by == staff_a
    detail = client.get(reverse("reports:detail", args=[report.pk]))
    assert "Hoàn thành" in detail.content.decode()
    pdf = client.get(reverse("reports:download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("reports:download", args=[report.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_queuing_happens_only_after_commit(client_for, staff_a, network_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post_request(client_for(staff_a), [network_a])
    assert len(callbacks) == 1
    assert ReportRequest.objects.get().status == "queued"


def test_provincial_staff_cannot_request_another_provinces_report(client_for, staff_b, network_a):
    response = _post_request(client_for(staff_b), [network_a])
    assert response.status_code == 400
    assert not ReportRequest.objects.exists()


def test_provincial_staff_cannot_request_donor_reports(client_for, staff_a, network_a):
    response = _post_request(client_for(staff_a), [network_a], kind="donor")
    assert response.status_code == 400
    assert not ReportRequest.objects.exists()


def test_bad_period_is_refused_in_vietnamese_and_changes_nothing(client_for, central_staff, network_a):
    response = _post_request(client_for(central_staff), [network_a], period_end="2025-01-01")
    assert response.status_code == 400
    assert "Ngày kết thúc kỳ báo cáo phải bằng hoặc sau ngày bắt đầu." in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_provincial_report_needs_exactly_one_network(client_for, central_staff, network_a, network_b):
    response = _post_request(client_for(central_staff), [network_a, network_b])
    assert response.status_code == 400
    assert "chỉ dành cho đúng một mạng lưới" in response.content.decode()
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize("persona", ["board_member_a", "member_a"])
def test_board_members_and_members_cannot_open_reports(persona, request, client_for, network_a):
    client = client_for(request.getfixturevalue(persona))
    report = report_generate(report_id=make_report([network_a], kind="donor").pk)
    assert client.get(reverse("reports:list")).status_code == 404
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404
    assert _post_request(client, [network_a]).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, network_a):
    report = make_report([network_a])
    for url in [reverse("reports:list"), reverse("reports:detail", args=[report.pk]), reverse("reports:lessons")]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_staff_of_other_province_get_404_and_see_nothing(client_for, staff_b, network_a):
    report = report_generate(report_id=make_report([network_a]).pk)
    client = client_for(staff_b)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk, "xlsx"])).status_code == 404
    listing = client.get(reverse("reports:list"))
    assert list(listing.context["reports"]) == []


def test_donor_viewers_download_donor_reports_but_no_report_listing_people(client_for, donor_viewer, network_a):
    donor = report_generate(report_id=make_report([network_a], kind="donor").pk)
    provincial = report_generate(report_id=make_report([network_a]).pk)
    client = client_for(donor_viewer)
    assert client.get(reverse("reports:download", args=[donor.pk, "pdf"])).status_code == 200
    assert client.get(reverse("reports:download", args=[provincial.pk, "pdf"])).status_code == 404
    assert client.get(reverse("reports:detail", args=[provincial.pk])).status_code == 404
    listing = client.get(reverse("reports:list"))
    assert list(listing.context["reports"]) == [donor]
    assert listing.context["form"] is None
    assert _post_request(client, [network_a], kind="donor").status_code == 404


def test_unfinished_report_has_no_download(client_for, central_staff, network_a):
    report = make_report([network_a])
    client = client_for(central_staff)
    assert client.get(reverse("reports:download", args=[report.pk, "pdf"])).status_code == 404
    assert 'http-equiv="refresh"' in client.get(reverse("reports:detail", args=[report.pk])).content.decode()


def test_report_list_query_count_is_constant(client_for, central_staff, django_assert_max_num_queries, network_a):
    client = client_for(central_staff)
    make_report([network_a])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("reports:list"))
    for _ in range(10):
        make_report([network_a, NetworkFactory()], kind="donor")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reports:list"))


def test_report_detail_query_count_is_constant(client_for, central_staff, django_assert_max_num_queries, network_a):
    client = client_for(central_staff)
    few = report_generate(report_id=make_report([network_a], kind="donor").pk)
    with django_assert_max_num_queries(12) as captured:
        client.get(reverse("reports:detail", args=[few.pk]))
    MembershipFactory.create_batch(10, network=network_a)
    many = make_report([network_a, *NetworkFactory.create_batch(10)], kind="donor")
    many = report_generate(report_id=many.pk)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get(reverse("reports:detail", args=[many.pk]))


# --- lessons learned ----------------------------------------------------------------


def test_provincial_staff_write_lessons_for_their_network(client_for, staff_a, network_a):
    data = {
        "network": network_a.pk,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "achievements": "Ra mắt thành công",
        "difficulties": "Thiếu kinh phí",
        "lessons": "Cần lãnh đạo ủng hộ",
        "next_steps": "Tập huấn",
    }
    response = client_for(staff_a).post(reverse("reports:lessons_new"), data)
    assert response.status_code == 302
    entry = LessonsLearned.objects.get()
    assert entry.network == network_a and entry.author == staff_a and entry.achievements == "Ra mắt thành công"


def test_provincial_staff_cannot_write_the_overall_section(client_for, staff_a):
    data = {"period_start": "2026-01-01", "period_end": "2026-06-30", "lessons": "x"}
    response = client_for(staff_a).post(reverse("reports:lessons_new"), data)
    assert response.status_code == 400
    assert not LessonsLearned.objects.exists()


def test_central_staff_write_the_overall_section(client_for, central_staff):
    data = {"period_start": "2026-01-01", "period_end": "2026-06-30", "lessons": "Bài học chung"}
    assert client_for(central_staff).post(reverse("reports:lessons_new"), data).status_code == 302
    assert LessonsLearned.objects.get().network is None
    again = client_for(central_staff).post(reverse("reports:lessons_new"), data)
    assert again.status_code == 400 and "Phần đánh giá chung cho kỳ này đã có." in again.content.decode()
    assert LessonsLearned.objects.count() == 1


def test_staff_of_other_province_cannot_see_or_edit_lessons(client_for, staff_b, network_a):
    entry = LessonsLearnedFactory(network=network_a, achievements="Bí mật A")
    client = client_for(staff_b)
    assert client.get(reverse("reports:lessons_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("reports:lessons_edit", args=[entry.pk]), {"lessons": "x"}).status_code == 404
    listing = client.get(reverse("reports:lessons"))
    assert "Bí mật A" not in listing.content.decode() and list(listing.context["entries"]) == []
    denied = client.post(
        reverse("reports:lessons_new"),
        {"network": network_a.pk, "period_start": "2026-01-01", "period_end": "2026-06-30"},
    )
    assert denied.status_code == 400 and LessonsLearned.objects.count() == 1


def test_donors_and_members_cannot_open_lessons(client_for, donor_viewer, network_a):
    entry = LessonsLearnedFactory(network=network_a)
    client = client_for(donor_viewer)
    assert client.get(reverse("reports:lessons")).status_code == 404
    assert client.get(reverse("reports:lessons_edit", args=[entry.pk])).status_code == 404


def test_lessons_list_query_count_is_constant(client_for, central_staff, django_assert_max_num_queries, network_a):
    client = client_for(central_staff)
    LessonsLearnedFactory(network=network_a)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("reports:lessons"))
    for network in NetworkFactory.create_batch(10):
        LessonsLearnedFactory(network=network)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reports:lessons"))
