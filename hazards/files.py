"""Uploaded photos and documents: check, normalize, hash.

Photos are opened with Pillow (anything that is not an image is refused), rotated per EXIF,
re-encoded as JPEG without metadata (EXIF/GPS stripped); their ``content_hash`` is the sha256
of the normalized RGB pixels, so the same picture re-saved or renamed hashes the same.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000
DOCUMENT_TYPES = {".pdf": "application/pdf", ".doc": "application/msword",
                  ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                  ".xls": "application/vnd.ms-excel",
                  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  ".jpg": "image/jpeg", ".png": "image/png"}


@dataclass
class CleanFile:
    content: ContentFile
    name: str
    original_name: str
    content_type: str
    content_hash: str


def clean_photo(upload) -> CleanFile:
    """Validate and normalize an uploaded photo; raises ValidationError in Chinese."""
    name = getattr(upload, "name", "photo") or "photo"
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("Photo “%(name)s” is larger than 10 MB.") % {"name": name})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("Photo “%(name)s” has too many pixels.") % {"name": name})
        image = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("“%(name)s” is not an image.") % {"name": name}) from exc
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)  # no exif= argument: metadata is dropped
    digest = photo_hash(image)
    stem = PurePath(name).stem[:80] or "photo"
    return CleanFile(ContentFile(out.getvalue()), f"{digest[:16]}.jpg", f"{stem}.jpg",
                     "image/jpeg", digest)


def photo_hash(image: Image.Image) -> str:
    """sha256 over size + RGB pixels of an (already normalized) image."""
    h = hashlib.sha256(f"{image.width}x{image.height}".encode())
    h.update(image.convert("RGB").tobytes())
    return h.hexdigest()


def clean_document(upload) -> CleanFile:
    name = getattr(upload, "name", "document") or "document"
    suffix = PurePath(name).suffix.lower()
    if suffix not in DOCUMENT_TYPES:
        raise ValidationError(_("“%(name)s”: only PDF, Word, Excel, JPG or PNG files are accepted.")
                              % {"name": name})
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("Document “%(name)s” is larger than 20 MB.") % {"name": name})
    upload.seek(0)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    return CleanFile(ContentFile(data), f"{digest[:16]}{suffix}", PurePath(name).name[:200],
                     DOCUMENT_TYPES[suffix], digest)
