from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import get_for_user_or_404, require, require_staff
from portal.models import AccessLog
from portal.services import access_log_record
from reports.forms import LessonsForm, ReportRequestForm
from reports.models import ReportRequest
from reports.selectors import lessons_list_for, report_list_for
from reports.services import lessons_save, report_request


def _require_report_reader(user) -> None:  # noqa: ANN001
    """Staff and donor viewers read reports (each only what ``visible_to`` allows)."""
    require(user, "read_reports")


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require_report_reader(request.user)
    form = ReportRequestForm(user=request.user) if request.user.is_portal_staff else None
    return render(request, "reports/report_list.html", {"reports": report_list_for(request.user)[:100], "form": form})


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = ReportRequestForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            report = report_request(user=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else _("Not allowed."))
        else:
            messages.success(request, _("Your report is queued."))
            return redirect("reports:detail", pk=report.pk)
    reports = report_list_for(request.user)[:100]
    return render(request, "reports/report_list.html", {"reports": reports, "form": form}, status=400)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_report_reader(request.user)
    report = get_for_user_or_404(report_list_for(request.user), request.user, pk=pk)
    return render(request, "reports/report_detail.html", {"report": report})


@login_required
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    _require_report_reader(request.user)
    report = get_for_user_or_404(ReportRequest.objects.all(), request.user, pk=pk, status=ReportRequest.Status.DONE)
    if fmt == "pdf":
        content, mime = bytes(report.pdf), "application/pdf"
    elif fmt == "xlsx":
        content, mime = bytes(report.xlsx), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    if report.lists_people:
        access_log_record(
            user=request.user, action=AccessLog.Action.REPORT, what=f"report-{report.kind}-{report.pk}.{fmt}"
        )
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="report-{report.kind}-{report.pk}.{fmt}"'
    return response


@login_required
def lessons_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    return render(request, "reports/lessons_list.html", {"entries": lessons_list_for(request.user)})


@login_required
def lessons_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_staff(request.user)
    instance = get_for_user_or_404(lessons_list_for(request.user), request.user, pk=pk) if pk else None
    form = LessonsForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            lessons_save(user=request.user, instance=instance, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("Not allowed."))
        else:
            messages.success(request, _("Lessons learned saved."))
            return redirect("reports:lessons")
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/lessons_form.html", {"form": form, "entry": instance}, status=status)
