"""The one PDF renderer: Django template -> HTML -> WeasyPrint -> bytes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from portal.text import printable


def render_pdf(template_name: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render ``template_name`` to PDF bytes. Static files resolve from the project's
    ``static/`` folder; templates should extend ``pdf/base.html`` (A4, page numbers,
    DejaVu fonts with full Vietnamese diacritics)."""
    return html_to_pdf(render_to_string(template_name, context, request=request))


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint ``html`` (static files resolve from ``static/``) to PDF bytes."""
    return html_document(html).write_pdf()


def html_document(html: str) -> Any:
    """The laid-out WeasyPrint document of ``html``: its ``pages`` (each with the
    ``anchors`` it holds) and ``write_pdf()``."""
    from weasyprint import HTML

    # A control character in stored text must not break the document (printable keeps
    # the markup itself intact: it only drops characters HTML/XML cannot hold).
    return HTML(string=printable(html), base_url=str(settings.BASE_DIR / "static")).render()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HttpResponse that downloads (or shows) ``pdf`` as ``filename``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
