"""Checks on uploaded evidence (minh chứng): JPEG, PNG or PDF, recognised by their first bytes (the
name and the browser's content type are not trusted), at most 5 MB."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

_MAGIC = [
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"%PDF-", "application/pdf", ".pdf"),
]


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, ctype, ext in _MAGIC:
        if head.startswith(magic):
            return ctype, ext
    return None


def check_upload(upload) -> tuple[str, str, str]:
    """Validate an uploaded file; return (content type, extension, sha256). Raises ValidationError."""
    name = getattr(upload, "name", "") or "tệp"
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("Tệp «%(name)s» nặng %(mb).1f MB, vượt quá giới hạn 5 MB.")
            % {"name": name, "mb": size / 1048576},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Tệp «%(name)s» rỗng.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(16)
    found = sniff(head)
    if found is None:
        raise ValidationError(
            _("Tệp «%(name)s» không phải ảnh JPEG, PNG hoặc tệp PDF.") % {"name": name}, code="bad_type"
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(65536), b""):
        digest.update(chunk)
    upload.seek(0)
    return found[0], found[1], digest.hexdigest()
