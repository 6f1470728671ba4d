"""The before/after photo check: an after photo that is a before photo — the stored file
downloaded again, a JPEG re-save, a resize, a 2 % crop, a brightened copy, a one-pixel edit —
is refused; genuinely different photos (other sites, the same site re-photographed after
rectification, also from the same spot) pass. Photos are procedural site scenes
(tests/hazards/scenes.py), not flat colours."""

import functools

import pytest
from PIL import Image

from hazards import services
from hazards.models import Attachment, Status
from hazards.photos import (
    LOCAL_CHANGE_MIN,
    PHASH_MAX_DISTANCE,
    cleaned_image,
    photo_match,
    photo_perceptual_hash,
)
from yixian_safety.uploads import clean_photo

from . import scenes
from .factories import FIVE, make_hazard

SEEDS = range(1, 7)
EDITS = {
    "stored file": lambda img: img,
    "JPEG re-save q60": lambda img: scenes.resave(img, 60),
    "resized to half": lambda img: scenes.resize(img, 0.5),
    "resized to a quarter": lambda img: scenes.resize(img, 0.25),
    "cropped by 2 %": lambda img: scenes.crop(img, 0.02),
    "brightened 25 %": lambda img: scenes.brighten(img, 1.25),
    "darkened 20 %": lambda img: scenes.brighten(img, 0.8),
    "one pixel changed": scenes.one_pixel,
}


@functools.cache
def _stored_before(seed: int) -> Image.Image:
    """The before photo as the app stores it (cleaned: re-encoded JPEG)."""
    return cleaned_image(clean_photo(scenes.upload(scenes.scene(seed), "before.jpg")))


def _as_uploaded(img: Image.Image) -> Image.Image:
    return cleaned_image(clean_photo(scenes.upload(img)))


def _match(candidate: Image.Image, before: Image.Image):
    return photo_match(
        candidate, photo_perceptual_hash(candidate), before, photo_perceptual_hash(before)
    )


# --- the check itself, on many scenes ----------------------------------------------------


@pytest.mark.parametrize("edit", EDITS)
def test_edited_copies_of_a_before_photo_are_duplicates(edit):
    for seed in SEEDS:
        before = _stored_before(seed)
        m = _match(_as_uploaded(EDITS[edit](before)), before)
        assert m.duplicate, (edit, seed, m)
        assert m.distance <= PHASH_MAX_DISTANCE and m.changed < LOCAL_CHANGE_MIN


def test_photos_of_other_sites_are_not_duplicates():
    for seed in SEEDS:
        before = _stored_before(seed)
        for other in SEEDS:
            if other != seed:
                m = _match(_as_uploaded(scenes.scene(other)), before)
                assert not m.duplicate and m.distance > PHASH_MAX_DISTANCE, (seed, other, m)


@pytest.mark.parametrize("view", [0, 1, 2])
def test_the_same_site_photographed_again_after_rectification_is_not_a_duplicate(view):
    # view 0: the same spot and angle (整改前后同角度对比), 1–2: the camera moved
    for seed in SEEDS:
        before = _stored_before(seed)
        after = _as_uploaded(scenes.scene(seed, view=view, rectified=True))
        m = _match(after, before)
        assert not m.duplicate, (seed, view, m)


def test_the_scenes_are_photographs_not_flat_colours():
    import numpy as np

    grey = np.asarray(scenes.scene(1).convert("L"))
    assert len(np.unique(grey)) > 150 and int(grey.max()) - int(grey.min()) > 120
    assert float(grey.std()) > 20


# --- in the acceptance workflow ------------------------------------------------------------


def _rectifying_with_before(users, world, seed=1):
    dept = users["department"]
    h = make_hazard(
        dept, world["own"], before_photos=[scenes.upload(scenes.scene(seed), "现场.jpg")]
    )
    services.hazard_confirm(hazard=h, actor=dept)
    services.rectification_save(hazard=h, actor=dept, **FIVE)
    services.hazard_start_rectification(hazard=h, actor=dept)
    return h


def _download(client, attachment) -> bytes:
    r = client.get(attachment.get_absolute_url())
    assert r.status_code == 200
    return b"".join(r.streaming_content) if r.streaming else r.content


@pytest.mark.django_db
def test_perceptual_hash_is_stored_on_upload(users, world):
    h = _rectifying_with_before(users, world)
    before = h.attachments.get(kind=Attachment.Kind.BEFORE_PHOTO)
    assert len(before.perceptual_hash) == 16
    assert before.perceptual_hash == photo_perceptual_hash(before.open_image())


@pytest.mark.django_db
def test_reuploading_the_downloaded_before_photo_is_refused(client, users, world):
    h = _rectifying_with_before(users, world)
    before = h.attachments.get(kind=Attachment.Kind.BEFORE_PHOTO)
    client.force_login(users["department"])
    data = _download(client, before)
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(services.NearDuplicatePhoto) as exc:
        services.hazard_submit_for_acceptance(
            hazard=h,
            actor=users["department"],
            after_photos=[SimpleUploadedFile("after.jpg", data, content_type="image/jpeg")],
        )
    assert exc.value.before == before
    assert "现场.jpg" in exc.value.messages[0]
    h.refresh_from_db()
    assert h.status == Status.RECTIFYING
    assert not h.attachments.filter(kind=Attachment.Kind.AFTER_PHOTO).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "edit",
    [
        "JPEG re-save q60",
        "resized to half",
        "cropped by 2 %",
        "brightened 25 %",
        "one pixel changed",
    ],
)
def test_edited_before_photo_is_refused_at_submission(users, world, edit):
    h = _rectifying_with_before(users, world)
    stored = h.attachments.get(kind=Attachment.Kind.BEFORE_PHOTO).open_image()
    with pytest.raises(services.NearDuplicatePhoto):
        services.hazard_submit_for_acceptance(
            hazard=h,
            actor=users["department"],
            after_photos=[scenes.upload(EDITS[edit](stored), "after.jpg")],
        )


@pytest.mark.django_db
def test_a_genuine_after_photo_of_the_same_site_is_accepted(users, world):
    h = _rectifying_with_before(users, world)
    services.hazard_submit_for_acceptance(
        hazard=h,
        actor=users["department"],
        after_photos=[scenes.upload(scenes.scene(1, view=0, rectified=True), "整改后.jpg")],
    )
    h.refresh_from_db()
    assert h.status == Status.AWAITING_ACCEPTANCE
    after = h.attachments.get(kind=Attachment.Kind.AFTER_PHOTO)
    assert len(after.perceptual_hash) == 16


@pytest.mark.django_db
def test_before_photo_of_a_merged_report_is_compared_too(users, world):
    dept, office = users["department"], users["office"]
    report = make_hazard(
        dept, world["own"], before_photos=[scenes.upload(scenes.scene(5), "举报照片.jpg")]
    )
    target2 = make_hazard(
        dept, world["own"], before_photos=[scenes.upload(scenes.scene(2), "现场.jpg")]
    )
    services.hazards_merge(target=target2, reports=[report], actor=office, reason="同一隐患")
    services.hazard_confirm(hazard=target2, actor=dept)
    services.rectification_save(hazard=target2, actor=dept, **FIVE)
    services.hazard_start_rectification(hazard=target2, actor=dept)
    with pytest.raises(services.NearDuplicatePhoto) as exc:
        services.hazard_submit_for_acceptance(
            hazard=target2,
            actor=dept,
            after_photos=[scenes.upload(scenes.resize(scenes.scene(5), 0.5), "after.jpg")],
        )
    assert exc.value.before.original_name == "举报照片.jpg"
    assert exc.value.before.hazard_id == report.pk


@pytest.mark.django_db
def test_before_photos_stored_without_a_hash_are_hashed_when_compared(users, world):
    h = _rectifying_with_before(users, world, seed=3)
    Attachment.objects.filter(hazard=h).update(perceptual_hash="")
    with pytest.raises(services.NearDuplicatePhoto):
        services.hazard_submit_for_acceptance(
            hazard=h,
            actor=users["department"],
            after_photos=[scenes.upload(scenes.brighten(scenes.scene(3), 1.2), "after.jpg")],
        )
    services._before_photos(h)
    assert len(Attachment.objects.get(hazard=h).perceptual_hash) == 16


@pytest.mark.django_db
def test_refusal_page_shows_the_two_photos_side_by_side(client, users, world):
    h = _rectifying_with_before(users, world)
    before = h.attachments.get(kind=Attachment.Kind.BEFORE_PHOTO)
    client.force_login(users["department"])
    r = client.post(
        f"/hazards/{h.pk}/submit/",
        {
            "note": "已整改",
            "after_photos": [scenes.upload(scenes.crop(before.open_image()), "after.jpg")],
        },
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert 'data-testid="photo-comparison"' in page
    assert 'src="data:image/jpeg;base64,' in page
    assert f'src="{before.get_absolute_url()}"' in page
    assert "现场.jpg" in page and "已整改" in page
    h.refresh_from_db()
    assert h.status == Status.RECTIFYING


@pytest.mark.django_db
def test_api_refusal_names_the_matching_before_photo(client, users, world):
    h = _rectifying_with_before(users, world)
    before = h.attachments.get(kind=Attachment.Kind.BEFORE_PHOTO)
    client.force_login(users["department"])
    r = client.post(
        f"/api/v1/hazards/{h.pk}/submit_for_acceptance/",
        {"after_photos": [scenes.upload(scenes.resave(before.open_image(), 50), "a.jpg")]},
    )
    assert r.status_code == 400
    assert r.json()["before_photo"] == before.get_absolute_url()
    assert "after_photos" in r.json()
