"""Files people upload (founding decision, charter, activity plan): PDF or image only,
checked by content; kept outside the public media folder; served only through
:func:`portal.views.protected_file`, which asks the rules table and sends an attachment.

An HTML or SVG file renamed ``.pdf`` is refused at upload; a file that is in the store
anyway (uploaded before this check) still goes out as a download with ``nosniff``, so a
browser never runs it as a page of the portal.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Pillow's format name -> the content type we send.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
PDF_TYPE = "application/pdf"
SUFFIXES = {PDF_TYPE: ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (never served by the web server); a file's URL
    is the access-checked download view."""

    @cached_property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        # Read each time, so tests (and a changed setting) point at their own folder.
        return os.path.abspath(str(settings.PRIVATE_MEDIA_ROOT))

    def url(self, name: str | None) -> str:
        return reverse("protected_file", args=[name])


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of uploaded documents (a callable, so migrations name it, not a path)."""
    return _storage


def sniff(handle: IO[bytes] | Any) -> str | None:
    """The content type of a PDF or an image (PNG, JPEG, GIF, WebP) read from its bytes,
    or None for anything else (HTML, SVG, scripts, office files…). Leaves the file at 0."""
    from PIL import Image, UnidentifiedImageError

    try:
        handle.seek(0)
        head = handle.read(8)
        if head.startswith(b"%PDF-"):
            return PDF_TYPE
        handle.seek(0)
        try:
            with Image.open(handle) as image:
                kind = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            return None
        return IMAGE_TYPES.get(kind or "")
    finally:
        handle.seek(0)


def validate_document(value: Any) -> None:
    """Accept only a PDF or an image, judged by its content (the file name is ignored)."""
    if getattr(value, "_committed", False):
        return  # already stored: checked when it was uploaded
    if sniff(value) is None:
        raise ValidationError(
            _(
                "Only PDF files and images (PNG, JPEG, GIF, WebP) can be uploaded. This file is neither "
                "(for example a web page or an SVG drawing), whatever its name says."
            ),
            code="file_type",
        )


@deconstructible(path="portal.files.DocumentPath")
class DocumentPath:
    """``upload_to`` for documents: a random name in ``folder``, keeping only a harmless
    suffix (the content decides how the file is sent anyway)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: models.Model, filename: str) -> str:
        suffix = Path(filename).suffix.lower()
        if suffix == ".jpeg":
            suffix = ".jpg"
        if suffix not in SUFFIXES.values():
            suffix = ""
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentPath) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def document_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose files live in the private storage."""
    return [
        (model, field.name)
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField) and isinstance(field.storage, PrivateStorage)
    ]


def owner_of(name: str, user: Any) -> models.Model | None:
    """The record holding the stored file ``name`` among those ``user`` may see, or None."""
    for model, field_name in document_fields():
        manager = model._default_manager
        if not hasattr(manager, "visible_to"):
            continue
        obj = manager.visible_to(user).filter(**{field_name: name}).first()
        if obj is not None:
            return obj
    return None
