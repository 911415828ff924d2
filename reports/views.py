from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from networks.services import indicator_actual_record
from portal.access import get_for_user_or_404, may, require, require_staff
from portal.models import AccessLog
from portal.services import access_log_record
from reports.forms import (
    IndicatorActualForm,
    LessonsForm,
    QuarterOpenForm,
    QuarterReviewForm,
    QuarterSubmitForm,
    ReportRequestForm,
    ResultsPeriodForm,
)
from reports.models import LetterBatch, QuarterlySubmission, ReportRequest
from reports.selectors import (
    lessons_list_for,
    missing_translations,
    quarterly_list_for,
    quarterly_status,
    quarterly_steps,
    report_list_for,
    results_for,
)
from reports.services import lessons_save, quarter_open, quarter_review, quarter_submit, report_request


def _require_report_reader(user) -> None:  # noqa: ANN001
    """Staff and donor viewers read reports (each only what ``visible_to`` allows)."""
    require(user, "read_reports")


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require_report_reader(request.user)
    form = ReportRequestForm(user=request.user) if may(request.user, "request_report") else None
    return render(request, "reports/report_list.html", {"reports": report_list_for(request.user)[:100], "form": form})


@login_required
@require_POST
def report_create(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    form = ReportRequestForm(request.POST, user=request.user)
    if "check" in request.POST and form.is_valid():
        # "What is missing in English?": list it before anything is generated.
        data = form.cleaned_data
        missing = missing_translations(
            network_ids=[n.pk for n in data["networks"]],
            start=data["period_start"],
            end=data["period_end"],
            agreement=data["agreement"],
        )
        reports = report_list_for(request.user)[:100]
        context = {"reports": reports, "form": form, "missing": missing, "checked": True}
        return render(request, "reports/report_list.html", context)
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


# --- the quarterly reporting cycle ------------------------------------------------------


@login_required
def quarterly_list(request: HttpRequest) -> HttpResponse:
    """Every province's quarterly reports and their status (provincial staff: hers)."""
    require(request.user, "see_quarterly_reports")
    form = QuarterOpenForm(request.POST or None) if may(request.user, "open_quarter") else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                opened = quarter_open(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    (
                        ngettext(
                            "%(n)s network owes this quarter's report.",
                            "%(n)s networks owe this quarter's report.",
                            len(opened),
                        )
                        % {"n": len(opened)}
                    ),
                )
                return redirect("reports:quarterly")
    today = timezone.localdate()
    rows = [(s, quarterly_status(s, today)) for s in quarterly_list_for(request.user)[:500]]
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/quarterly_list.html", {"rows": rows, "form": form, "today": today}, status=status)


@login_required
def quarterly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One quarterly report: the province submits (or resubmits) it, central staff review it."""
    require(request.user, "see_quarterly_reports")
    submission = get_for_user_or_404(quarterly_list_for(request.user), request.user, pk=pk)
    owed = submission.status in (QuarterlySubmission.Status.DUE, QuarterlySubmission.Status.RETURNED)
    submit_form = (
        QuarterSubmitForm(initial={"narrative": submission.narrative})
        if owed and may(request.user, "submit_quarterly_report", submission)
        else None
    )
    review_form = (
        QuarterReviewForm()
        if submission.status == QuarterlySubmission.Status.SUBMITTED
        and may(request.user, "review_quarterly_report", submission)
        else None
    )
    if request.method == "POST":
        try:
            if "narrative" in request.POST and submit_form is not None:
                submit_form = QuarterSubmitForm(request.POST)
                if submit_form.is_valid():
                    quarter_submit(user=request.user, submission=submission, **submit_form.cleaned_data)
                    messages.success(request, _("Report submitted to central staff."))
                    return redirect("reports:quarterly_detail", pk=pk)
            elif "decision" in request.POST and review_form is not None:
                review_form = QuarterReviewForm(request.POST)
                if review_form.is_valid():
                    data = review_form.cleaned_data
                    quarter_review(
                        user=request.user,
                        submission=submission,
                        accept=data["decision"] == "accept",
                        comment=data["comment"],
                    )
                    messages.success(request, _("Review saved."))
                    return redirect("reports:quarterly_detail", pk=pk)
            else:
                messages.error(request, _("That step is not possible now."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied:
            messages.error(request, _("Not allowed."))
    context = {
        "submission": submission,
        "status": quarterly_status(submission, timezone.localdate()),
        "steps": quarterly_steps(submission),
        "submit_form": submit_form,
        "review_form": review_form,
    }
    return render(request, "reports/quarterly_detail.html", context, status=400 if request.method == "POST" else 200)


# --- results framework: targets against actuals -----------------------------------------


@login_required
def results_page(request: HttpRequest) -> HttpResponse:
    """An agreement's results framework with targets against actuals per province and
    their status, for a period (default: the agreement's), as the donor report prints it.
    Staff may record hand-entered actuals with their evidence file."""
    _require_report_reader(request.user)
    form = ResultsPeriodForm(request.GET or None, user=request.user)
    agreements = form.fields["agreement"].queryset
    agreement = form.cleaned_data["agreement"] if form.is_valid() else agreements.first()
    context: dict = {"form": form, "agreement": agreement, "results": [], "actual_form": None}
    if agreement is not None:
        start = (form.is_valid() and form.cleaned_data.get("period_start")) or agreement.starts_on
        end = (form.is_valid() and form.cleaned_data.get("period_end")) or agreement.ends_on
        context.update(results_for(user=request.user, agreement=agreement, start=start, end=end))
        if may(request.user, "use_staff_pages"):
            actual_form = IndicatorActualForm(
                request.POST or None, request.FILES or None, user=request.user, agreement=agreement
            )
            if request.method == "POST" and actual_form.is_valid():
                try:
                    indicator_actual_record(user=request.user, **actual_form.cleaned_data)
                except ValidationError as exc:
                    actual_form.add_error(None, exc.messages)
                except PermissionDenied:
                    actual_form.add_error(None, _("Not allowed."))
                else:
                    messages.success(request, _("Actual recorded."))
                    return redirect(request.get_full_path())
            context["actual_form"] = actual_form if actual_form.fields["indicator"].queryset.exists() else None
    return render(request, "reports/results.html", context, status=400 if request.method == "POST" else 200)


def _own_batch(request: HttpRequest, pk: int) -> LetterBatch:
    """A batch of invitation letters is its requester's alone (404 for anyone else)."""
    require_staff(request.user)
    batch = LetterBatch.objects.filter(pk=pk, requested_by=request.user).first()
    if batch is None:
        raise Http404
    return batch


@login_required
def letters_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A batch of invitation letters: being prepared (the page refreshes), or its PDF."""
    batch = _own_batch(request, pk)
    return render(request, "reports/letters_detail.html", {"batch": batch, "count": len(batch.memberships)})


@login_required
def letters_download(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    if batch.status != LetterBatch.Status.DONE or not batch.pdf:
        raise Http404
    access_log_record(user=request.user, action=AccessLog.Action.REPORT, what="invitations.pdf", rows=batch.letters)
    response = HttpResponse(bytes(batch.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="invitations-{batch.pk}.pdf"'
    return response
