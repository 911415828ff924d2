"""Certificates of attendance: who earns one, the signed code behind the QR, and the
public verification that shows the training, its date and the holder's initials only."""

from __future__ import annotations

import base64
from collections.abc import Iterable

from django.core import signing
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import translation

from events.models import Attendance, Event
from portal.pdf import render_pdf
from portal.qr import qr_png

SALT = "events.certificate"
LANGUAGES = ("vi", "en")


def certificate_code(attendance: Attendance) -> str:
    """The signed, unguessable code of one certificate (it names the attendance row)."""
    return signing.Signer(salt=SALT).sign(str(attendance.pk))


def attendance_for_code(code: str) -> Attendance | None:
    """The attendance a certificate code names, or None when the code is forged or the
    check-in was undone since."""
    try:
        pk = signing.Signer(salt=SALT).unsign(code)
    except signing.BadSignature:
        return None
    if not pk.isdigit():
        return None
    return Attendance.objects.select_related("event", "person").filter(pk=int(pk)).first()


def initials(full_name: str) -> str:
    """ "Nguyễn Thị Hoa" → "N.T.H." — all a verification page reveals of the holder."""
    return "".join(f"{word[0].upper()}." for word in full_name.split() if word)


def eligible_attendances(event: Event, attendances: QuerySet[Attendance]) -> list[Attendance]:
    """The attendances of ``event`` (already scoped to the user) that earn a certificate."""
    rows = attendances.filter(event=event).select_related("person", "event").order_by("person__full_name", "pk")
    return [a for a in rows if a.earns_certificate]


def verification_url(request: HttpRequest, attendance: Attendance) -> str:
    from portal.links import absolute_url

    return absolute_url("events:certificate_verify", certificate_code(attendance))


def render_certificates(request: HttpRequest, attendances: Iterable[Attendance], language: str) -> bytes:
    """One PDF, one A4 landscape page per certificate, in ``language`` (vi or en)."""
    certificates = []
    for attendance in attendances:
        url = verification_url(request, attendance)
        qr = base64.b64encode(qr_png(url, box_size=4)).decode()
        certificates.append({"attendance": attendance, "url": url, "qr": f"data:image/png;base64,{qr}"})
    with translation.override(language if language in LANGUAGES else "vi"):
        return render_pdf("events/certificate_pdf.html", {"certificates": certificates}, request=request)
