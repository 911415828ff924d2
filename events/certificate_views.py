"""Certificate pages: bulk printing per training, a participant's own certificate, and
the public verification page the QR code leads to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from events import certificates
from events.models import Attendance, Event
from portal.access import get_for_user_or_404, require_staff
from portal.pdf import pdf_response


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "vi")
    return lang if lang in certificates.LANGUAGES else "vi"


@login_required
def certificates_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: every certificate of a training in one PDF (those the staff member may see)."""
    require_staff(request.user)
    event = get_for_user_or_404(Event, request.user, pk=pk)
    if not event.issues_certificates:
        raise Http404
    attendances = certificates.eligible_attendances(event, Attendance.objects.visible_to(request.user))
    pdf = certificates.render_certificates(request, attendances, _language(request))
    return pdf_response(pdf, f"certificates-{event.pk}-{_language(request)}.pdf")


@login_required
def my_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant's own certificate; 404 when she did not earn one."""
    attendance = get_object_or_404(
        Attendance.objects.select_related("event", "person"), event_id=pk, person__user=request.user
    )
    if not attendance.earns_certificate:
        raise Http404
    pdf = certificates.render_certificates(request, [attendance], _language(request))
    return pdf_response(pdf, f"certificate-{pk}-{_language(request)}.pdf")


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: confirms the training, its date and the holder's initials — nothing more."""
    attendance = certificates.attendance_for_code(code)
    valid = attendance is not None and attendance.earns_certificate
    context = {"valid": valid}
    if valid:
        context.update(event=attendance.event, holder_initials=certificates.initials(attendance.person.full_name))
    return render(request, "events/certificate_verify.html", context, status=200 if valid else 404)
