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


def _report(enterprise, photo):
    return {
        "enterprise": enterprise.pk,
        "source": "inspection",
        "found_on": "2026-11-30",
        "found_by": "检查组",
        "location": "气瓶间",
        "description": "未设置报警装置",
        "level": "general",
        "before_photos": photo,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024)), "10 MB"),
        (SimpleUploadedFile("notes.txt", b"just some text"), "不是图片"),
    ],
)
def test_a_refused_photo_is_named_at_its_field(client, users, upload, message):
    """Issue 18: the error of a photo appears at the photo field, not only at the top."""
    from tests.hazards.factories import make_enterprise

    enterprise = make_enterprise(users["office"])
    client.force_login(users["department"])
    response = client.post(reverse("hazards:create"), _report(enterprise, upload))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["before_photos"], errors
    assert upload.name in errors["before_photos"][0] and message in errors["before_photos"][0]


@pytest.mark.django_db
def test_a_good_photo_passes_the_field_check_and_is_stored(client, users, settings, tmp_path):
    from hazards.models import Attachment
    from tests.hazards.factories import make_enterprise, photo

    settings.MEDIA_ROOT = tmp_path
    enterprise = make_enterprise(users["office"])
    client.force_login(users["department"])
    response = client.post(reverse("hazards:create"), _report(enterprise, photo()))
    assert response.status_code == 302, response.context["form"].errors
    assert Attachment.objects.filter(kind=Attachment.Kind.BEFORE_PHOTO).count() == 1


@pytest.mark.django_db
def test_the_photo_field_opens_the_camera_and_states_its_limit_before_upload(client, users):
    client.force_login(users["department"])
    html = client.get(reverse("hazards:create")).content.decode()
    field = html[
        html.index('name="before_photos"') - 300 : html.index('name="before_photos"') + 600
    ]
    assert 'accept="image/*"' in field and 'capture="environment"' in field
    assert f'data-max-bytes="{10 * 1024 * 1024}"' in field
    assert "仅限图片" in html and "每张不超过 10 MB" in html


def test_the_tipoff_photo_limit_is_its_own_8_mb():
    from tipoffs.forms import TipOffForm

    field = TipOffForm.base_fields["photos"]
    assert field.max_bytes == 8 * 1024 * 1024
    with pytest.raises(ValidationError, match="8 MB"):
        field.clean([SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024))])
