"""Checking uploaded documents by their content (magic bytes), not by their name or MIME type.

- PDF: starts with ``%PDF-``;
- Word 97-2003 (.doc) and WPS (.wps): OLE2 compound file, starts with ``D0 CF 11 E0 A1 B1 1A E1``;
- Word 2007+ (.docx): a ZIP archive holding ``word/`` entries.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"

# extension → content kinds it may carry
_EXTENSIONS = {"pdf": {"pdf"}, "doc": {"doc", "docx"}, "wps": {"doc", "docx"}, "docx": {"docx"}}


@dataclass(frozen=True)
class CheckedDocument:
    kind: str  # pdf / doc / docx
    size: int
    sha256: str


def _sniff(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "doc"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if any(name.startswith("word/") for name in names):
            return "docx"
    return None


def document_check(upload, *, max_bytes: int) -> CheckedDocument:
    """Validate an uploaded PDF/Word/WPS document by content and size.

    Raises ``ValidationError`` with a Chinese message (through the catalog) naming the file.
    """
    name = getattr(upload, "name", "") or ""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)})
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})
    kind = _sniff(upload)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind is None or ext not in _EXTENSIONS or kind not in _EXTENSIONS[ext]:
        raise ValidationError(
            _("The file %(name)s is not a PDF, Word (.doc/.docx) or WPS (.wps) document "
              "(checked by its content).") % {"name": name})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return CheckedDocument(kind=kind, size=upload.size, sha256=digest.hexdigest())


def attachment_check(upload, *, max_bytes: int) -> None:
    """Evidence/attachments: documents as above, or images (PNG/JPEG), size-limited."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff"):
        if upload.size > max_bytes:
            raise ValidationError(
                _("The file %(name)s is %(size)s; the limit is %(limit)s.")
                % {"name": upload.name, "size": filesizeformat(upload.size),
                   "limit": filesizeformat(max_bytes)})
        return
    document_check(upload, max_bytes=max_bytes)
