"""The one upload policy (yixian_safety/uploads.py): content, not names; bounded before decoding."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yixian_safety.uploads import clean_document, clean_photo


def huge_png(width=20_000, height=20_000) -> bytes:
    """A few hundred bytes claiming width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = zlib.compress(b"\x00" * 64)  # far too few rows; never decoded
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", rows)
        + chunk(b"IEND", b"")
    )


def test_an_image_with_too_many_pixels_is_a_clear_error():
    with pytest.raises(ValidationError, match="too many pixels|像素"):
        clean_photo(SimpleUploadedFile("huge.png", huge_png()))


def test_a_document_is_judged_by_its_content_not_its_name():
    with pytest.raises(ValidationError):
        clean_document(SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable"))
    ok = clean_document(SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%%EOF\n"))
    assert ok.content_type == "application/pdf"


@pytest.mark.django_db
def test_the_huge_png_on_the_hazard_form_is_a_form_error_not_a_500(client, users):
    from tests.hazards.factories import make_enterprise

    enterprise = make_enterprise(users["office"])
    client.force_login(users["department"])
    response = client.post(
        reverse("hazards:create"),
        {
            "enterprise": enterprise.pk,
            "source": "inspection",
            "found_on": "2026-11-30",
            "found_by": "检查组",
            "location": "气瓶间",
            "description": "未设置报警装置",
            "level": "general",
            "before_photos": SimpleUploadedFile("huge.png", huge_png()),
        },
    )
    assert response.status_code == 200
    assert "huge.png" in response.content.decode()
