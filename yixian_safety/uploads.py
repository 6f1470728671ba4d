"""The one upload policy of every app: files are judged by their content, never by their name or
MIME type, and bounded before they are decoded.

- photos (:func:`clean_photo`): opened with Pillow; more than :data:`MAX_PIXELS` pixels (a
  decompression bomb such as a 20,000 × 20,000 PNG) is refused from the header, before decoding;
  rotated per EXIF and re-encoded as JPEG **without any metadata** (EXIF, GPS, device, times);
  ``content_hash`` is the sha256 of the normalized pixels (the same picture re-saved hashes the
  same);
- documents (:func:`clean_document`, :func:`document_check`, :func:`attachment_check`): the
  content kind is sniffed from magic bytes and must match the extension —
  PDF ``%PDF-``; Word 97-2003 (.doc), WPS (.wps) and Excel 97-2003 (.xls) are OLE2 compound
  files ``D0 CF 11 E0 A1 B1 1A E1``; .docx / .xlsx are ZIP archives holding ``word/`` / ``xl/``;
  JPEG ``FF D8 FF``; PNG ``89 50 4E 47``.

Every refusal is a ``ValidationError`` with a Chinese message (through the catalog) naming the file.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: any phone camera; decoding stays under ~160 MB

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# extension → content kinds it may carry
EXTENSION_KINDS = {
    "pdf": {"pdf"},
    "doc": {"ole2", "docx"},
    "wps": {"ole2", "docx"},
    "docx": {"docx"},
    "xls": {"ole2"},
    "xlsx": {"xlsx"},
    "jpg": {"jpeg"},
    "jpeg": {"jpeg"},
    "png": {"png"},
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "wps": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
WORD_DOCUMENTS = ("pdf", "doc", "docx", "wps")  # sub-plans and other documents of record
OFFICE_DOCUMENTS = ("pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png")  # hazard files


@dataclass
class CleanFile:
    """A checked upload ready to store: ``content`` (re-encoded for photos), a storage ``name``
    derived from the hash, the user's ``original_name``, ``content_type``, ``content_hash``."""

    content: ContentFile
    name: str
    original_name: str
    content_type: str
    content_hash: str


@dataclass(frozen=True)
class CheckedDocument:
    kind: str  # pdf / doc / docx (the document's content, sniffed)
    size: int
    sha256: str


def _name(upload, default: str) -> str:
    return getattr(upload, "name", "") or default


def sniff(upload) -> str | None:
    """The content kind of ``upload`` from its first bytes (``None`` if unknown); the file
    position is left at 0."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        return "png"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def _check_size(upload, max_bytes: int) -> None:
    name = _name(upload, "")
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file %(name)s is %(size)s; the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(max_bytes),
            }
        )
    if upload.size == 0:
        raise ValidationError(_("The file %(name)s is empty.") % {"name": name})


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _kind_matching_extension(upload, accept: tuple[str, ...]) -> tuple[str, str] | None:
    """(extension, content kind) when the content is one the extension may carry."""
    name = _name(upload, "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = sniff(upload)
    if ext in accept and kind is not None and kind in EXTENSION_KINDS.get(ext, ()):
        return ext, kind
    return None


def _open_image(upload, name: str) -> Image.Image:
    """Open, verify and size-check an image from its header before decoding any pixel."""
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(
                        _("Photo “%(name)s” has too many pixels.") % {"name": name}
                    )
                probe.verify()
            upload.seek(0)
            return Image.open(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("Photo “%(name)s” has too many pixels.") % {"name": name}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("“%(name)s” is not an image.") % {"name": name}) from exc


def megabytes(max_bytes: int) -> str:
    """A byte limit as users read it: ``10 MB``."""
    return f"{max_bytes / (1024 * 1024):g} MB"


def photo_check(upload, *, max_bytes: int = MAX_PHOTO_BYTES) -> None:
    """The cheap part of :func:`clean_photo` — size, and an image header Pillow reads with
    at most :data:`MAX_PIXELS` pixels — for a form field to refuse a photo at the field
    before any pixel is decoded. Raises ``ValidationError`` naming the file."""
    name = _name(upload, "photo")
    if upload.size > max_bytes:
        raise ValidationError(
            _("Photo “%(name)s” is larger than %(limit)s.")
            % {"name": name, "limit": megabytes(max_bytes)}
        )
    _open_image(upload, name)  # not closed: closing the image would close the upload too
    upload.seek(0)


def clean_photo(upload, *, max_bytes: int = MAX_PHOTO_BYTES) -> CleanFile:
    """Validate and normalize an uploaded photo (see the module docstring); at most
    ``max_bytes`` (10 MB)."""
    name = _name(upload, "photo")
    if upload.size > max_bytes:
        raise ValidationError(
            _("Photo “%(name)s” is larger than %(limit)s.")
            % {"name": name, "limit": megabytes(max_bytes)}
        )
    image = _open_image(upload, name)
    try:
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt pixel data
        raise ValidationError(_("“%(name)s” is not an image.") % {"name": name}) from exc
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    digest = photo_hash(image)
    stem = PurePath(name).stem[:80] or "photo"
    return CleanFile(
        ContentFile(out.getvalue()), f"{digest[:16]}.jpg", f"{stem}.jpg", "image/jpeg", digest
    )


def photo_hash(image: Image.Image) -> str:
    """sha256 over size + RGB pixels of an (already normalized) image."""
    h = hashlib.sha256(f"{image.width}x{image.height}".encode())
    h.update(image.convert("RGB").tobytes())
    return h.hexdigest()


def clean_document(
    upload, *, accept: tuple[str, ...] = OFFICE_DOCUMENTS, max_bytes: int = MAX_DOCUMENT_BYTES
) -> CleanFile:
    """A document of one of the ``accept`` extensions whose content matches it (default: PDF,
    Word, Excel, JPG, PNG; at most 20 MB); stored as is."""
    name = _name(upload, "document")
    if upload.size > max_bytes:
        raise ValidationError(_("Document “%(name)s” is larger than 20 MB.") % {"name": name})
    found = _kind_matching_extension(upload, accept)
    if found is None:
        raise ValidationError(
            _("“%(name)s”: only PDF, Word, Excel, JPG or PNG files are accepted.") % {"name": name}
        )
    ext, _kind = found
    upload.seek(0)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    return CleanFile(
        ContentFile(data),
        f"{digest[:16]}.{ext}",
        PurePath(name).name[:200],
        CONTENT_TYPES[ext],
        digest,
    )


def document_check(upload, *, max_bytes: int) -> CheckedDocument:
    """A PDF/Word/WPS document of record (sub-plans), checked by content and size."""
    _check_size(upload, max_bytes)
    found = _kind_matching_extension(upload, WORD_DOCUMENTS)
    if found is None:
        raise ValidationError(
            _(
                "The file %(name)s is not a PDF, Word (.doc/.docx) or WPS (.wps) document "
                "(checked by its content)."
            )
            % {"name": _name(upload, "")}
        )
    kind = {"ole2": "doc"}.get(found[1], found[1])
    return CheckedDocument(kind=kind, size=upload.size, sha256=_sha256(upload))


def attachment_check(upload, *, max_bytes: int) -> None:
    """Evidence/attachments: a document as :func:`document_check`, or a JPEG/PNG image that
    Pillow can open within :data:`MAX_PIXELS`, size-limited."""
    if sniff(upload) in ("jpeg", "png"):
        _check_size(upload, max_bytes)
        _open_image(upload, _name(upload, "")).close()
        upload.seek(0)
        return
    document_check(upload, max_bytes=max_bytes)
