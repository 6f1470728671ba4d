"""The before/after photo check (issue 17): a perceptual hash of every photo, and the test
that an after photo is not one of the before photos however re-encoded or edited.

Kept apart from the upload policy (:mod:`yixian_safety.uploads`, which checks and re-encodes
every upload) so it can move there as one piece: :func:`photo_perceptual_hash` at upload,
:func:`photo_near_duplicate` when an after photo comes in.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import imagehash
import numpy as np
from PIL import Image

# --- before/after photo check (issue 17) ---------------------------------------------------
# Two stages, both measured on procedurally drawn site photos in
# tests/hazards/test_photo_check.py (6–10 scenes):
# 1. The 64-bit perceptual hash (ImageHash pHash: DCT of a 32×32 grey copy) of the candidate
#    is compared with each before photo's. A re-save, resize (to ¼), 2 % crop, brightening
#    (×0.8–×1.25) or one-pixel edit of a before photo stays within 10 bits; different sites
#    are 20+ bits apart. Within PHASH_MAX_DISTANCE the photo is a *candidate* duplicate.
# 2. A genuine after photo taken from the same spot (same angle, as 整改前后对比照片 usually
#    are) is within 10 bits too, since only the rectified part changed. So a candidate is
#    aligned with the before photo (scales 95–100 %, any offset: covers crops and resizes),
#    both brightness/contrast-normalized, and the share of the picture that still differs
#    (by more than LOCAL_DIFF_SIGMA standard deviations, after a 5×5 blur) is measured:
#    edited copies differ on 0 % of the area, re-photographed rectified sites on ≥ 1.9 %.
#    Below LOCAL_CHANGE_MIN of the area changed = the same photo → refused.
# The normalization ignores brightness and colour, so the mean colour balance (each channel's
# share of R+G+B) must also agree within CHROMA_MAX_SHIFT: brightening keeps it, a differently
# coloured picture (e.g. two plain colours, which all share one pHash) does not.
PHASH_MAX_DISTANCE = 12  # bits of 64
CHROMA_MAX_SHIFT = 0.04
LOCAL_CHANGE_MIN = 0.01  # share of the picture area
LOCAL_DIFF_SIGMA = 0.8
_ALIGN_SIZE = (160, 120)
_ALIGN_SCALES = (1.0, 0.99, 0.98, 0.97, 0.96, 0.95)


def photo_perceptual_hash(image: Image.Image) -> str:
    """64-bit pHash of a photo as 16 hex digits (stored on the attachment at upload)."""
    return str(imagehash.phash(image.convert("RGB")))


def perceptual_distance(a: str, b: str) -> int:
    """Hamming distance (bits) between two :func:`photo_perceptual_hash` values."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


@dataclass(frozen=True)
class PhotoMatch:
    """How close a candidate is to one before photo: pHash bits apart and share of the
    aligned picture that differs (0–1)."""

    distance: int
    changed: float

    @property
    def changed_percent(self) -> float:
        return round(self.changed * 100, 1)

    @property
    def duplicate(self) -> bool:
        return self.distance <= PHASH_MAX_DISTANCE and self.changed < LOCAL_CHANGE_MIN


def _grey(image: Image.Image, size: tuple[int, int]) -> np.ndarray:
    return np.asarray(image.convert("L").resize(size, Image.BILINEAR), dtype=np.float32)


def _z(a: np.ndarray) -> np.ndarray:
    return (a - a.mean()) / (a.std() + 1e-6)


def _changed_share(candidate: Image.Image, before: Image.Image) -> float:
    """Smallest share of the picture that differs over the alignments of ``candidate`` as a
    95–100 % crop of ``before`` (coarse search at ¼ size, refined at full size)."""
    from scipy.ndimage import uniform_filter

    bw, bh = _ALIGN_SIZE
    b_full = _grey(before, (bw, bh))
    b_small = _grey(before, (bw // 4, bh // 4))
    best = 1.0
    for scale in _ALIGN_SCALES:
        w, h = round(bw * scale), round(bh * scale)
        sw, sh = max(1, round(w / 4)), max(1, round(h / 4))
        c_small = _z(_grey(candidate, (sw, sh)))
        coarse = min(
            (float(np.abs(c_small - _z(b_small[y : y + sh, x : x + sw])).mean()), x, y)
            for y in range(b_small.shape[0] - sh + 1)
            for x in range(b_small.shape[1] - sw + 1)
        )
        _err, cx, cy = coarse
        c_full = _z(_grey(candidate, (w, h)))
        for y in range(max(0, cy * 4 - 4), min(bh - h, cy * 4 + 4) + 1):
            for x in range(max(0, cx * 4 - 4), min(bw - w, cx * 4 + 4) + 1):
                diff = uniform_filter(np.abs(c_full - _z(b_full[y : y + h, x : x + w])), size=5)
                best = min(best, float((diff > LOCAL_DIFF_SIGMA).mean()))
    return best


def _chroma(image: Image.Image) -> np.ndarray:
    mean = (
        np.asarray(image.convert("RGB").resize((32, 24), Image.BILINEAR), dtype=np.float32)
        .reshape(-1, 3)
        .mean(axis=0)
    )
    return mean / (mean.sum() + 1e-6)


def photo_match(
    candidate: Image.Image, candidate_hash: str, before: Image.Image | None, before_hash: str
) -> PhotoMatch:
    """Compare a candidate after photo with one before photo (``before`` is opened only
    when the hashes are close; pass None to compare hashes only)."""
    distance = perceptual_distance(candidate_hash, before_hash)
    if distance > PHASH_MAX_DISTANCE or before is None:
        return PhotoMatch(distance, 1.0 if distance > PHASH_MAX_DISTANCE else 0.0)
    if float(np.abs(_chroma(candidate) - _chroma(before)).max()) > CHROMA_MAX_SHIFT:
        return PhotoMatch(distance, 1.0)
    return PhotoMatch(distance, _changed_share(candidate, before))


def photo_near_duplicate(candidate: Image.Image, candidate_hash: str, befores) -> tuple:
    """The first of ``befores`` (objects with ``perceptual_hash`` and an ``open_image()``
    method) that ``candidate`` is a near-duplicate of, with its :class:`PhotoMatch`; or
    ``(None, None)``."""
    for before in befores:
        if perceptual_distance(candidate_hash, before.perceptual_hash) > PHASH_MAX_DISTANCE:
            continue
        match = photo_match(candidate, candidate_hash, before.open_image(), before.perceptual_hash)
        if match.duplicate:
            return before, match
    return None, None


def thumbnail_data_uri(image: Image.Image, size: int = 480) -> str:
    """A small JPEG of ``image`` as a data: URI (to show a refused upload that is not kept)."""
    import base64

    thumb = image.convert("RGB").copy()
    thumb.thumbnail((size, size))
    buf = io.BytesIO()
    thumb.save(buf, format="JPEG", quality=80)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def cleaned_image(clean) -> Image.Image:
    """The stored (re-encoded) picture of a cleaned photo upload
    (:func:`yixian_safety.uploads.clean_photo`), as an RGB image; the content is rewound."""
    clean.content.seek(0)
    image = Image.open(io.BytesIO(clean.content.read())).convert("RGB")
    clean.content.seek(0)
    return image
