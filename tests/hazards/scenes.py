"""Procedural "photographs" for the before/after photo check: no photos ship with a package
here, so each scene is drawn like a site photo — sky and floor gradients, a multi-octave
noise texture (walls, concrete), buildings/shelves, tanks, pipes, a few coloured objects,
lens vignetting and sensor noise — seeded, so every run draws the same pictures.

``scene(seed)`` is one site; ``scene(seed, view=1, rectified=True)`` is the same site taken
again from a slightly different spot after the hazard was removed (the genuine after photo).
The edits (``resave``, ``resize``, ``crop``, ``brighten``, ``one_pixel``) are what someone
might do to pass the before photo off as an after photo.
"""

from __future__ import annotations

import io

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

W, H = 640, 480


def _noise(rng: np.random.Generator, h: int, w: int, octaves: int = 5) -> np.ndarray:
    """Value noise in [0, 1]: random grids upsampled bicubically and summed over octaves."""
    out = np.zeros((h, w), dtype=np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        cells = 2 ** (o + 2)
        grid = rng.random((cells, cells)).astype(np.float32)
        layer = Image.fromarray((grid * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        out += amp * (np.asarray(layer, dtype=np.float32) / 255)
        total += amp
        amp /= 2
    return out / total


def _draw_site(rng: np.random.Generator, big: tuple[int, int], rectified: bool) -> Image.Image:
    bw, bh = big
    horizon = int(bh * rng.uniform(0.35, 0.55))
    sky_top, sky_low = rng.uniform(60, 200, 3), rng.uniform(150, 250, 3)
    floor_near, floor_far = rng.uniform(40, 140, 3), rng.uniform(90, 190, 3)
    img = np.zeros((bh, bw, 3), dtype=np.float32)
    t = np.linspace(0, 1, horizon)[:, None, None]
    img[:horizon] = sky_top * (1 - t) + sky_low * t
    t = np.linspace(0, 1, bh - horizon)[:, None, None]
    img[horizon:] = floor_far * (1 - t) + floor_near * t
    texture = _noise(rng, bh, bw)[..., None]
    img *= 0.75 + 0.5 * texture
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(pil)
    for _i in range(rng.integers(3, 7)):  # buildings, walls, shelving
        x0 = int(rng.uniform(-0.1, 0.9) * bw)
        w = int(rng.uniform(0.1, 0.35) * bw)
        top = int(horizon - rng.uniform(0.05, 0.4) * bh)
        colour = tuple(int(c) for c in rng.uniform(50, 220, 3))
        d.rectangle([x0, top, x0 + w, horizon + int(0.05 * bh)], fill=colour)
        for _j in range(rng.integers(2, 9)):  # windows / panels
            wx = x0 + int(rng.uniform(0.05, 0.8) * w)
            wy = top + int(rng.uniform(0.05, 0.7) * (horizon - top))
            s = int(rng.uniform(0.02, 0.06) * bw)
            d.rectangle([wx, wy, wx + s, wy + s], fill=tuple(int(c) for c in rng.uniform(0, 90, 3)))
    for _i in range(rng.integers(1, 4)):  # tanks
        cx, cy = rng.uniform(0.1, 0.9) * bw, horizon + rng.uniform(0.0, 0.3) * bh
        rx, ry = rng.uniform(0.04, 0.12) * bw, rng.uniform(0.08, 0.2) * bh
        d.ellipse(
            [cx - rx, cy - ry, cx + rx, cy + ry],
            fill=tuple(int(c) for c in rng.uniform(120, 240, 3)),
            outline=(30, 30, 30),
        )
    for _i in range(rng.integers(2, 6)):  # pipes
        y = horizon + rng.uniform(-0.2, 0.35) * bh
        d.line(
            [0, y, bw, y + rng.uniform(-0.1, 0.1) * bh],
            fill=tuple(int(c) for c in rng.uniform(40, 200, 3)),
            width=int(rng.integers(4, 14)),
        )
    # The hazard itself: a cluster of red gas cylinders and clutter in the foreground.
    hx, hy = rng.uniform(0.25, 0.6) * bw, horizon + 0.25 * bh
    if not rectified:
        for k in range(5):
            x = hx + k * 0.045 * bw
            d.rectangle(
                [x, hy, x + 0.035 * bw, hy + 0.22 * bh], fill=(190, 25, 25), outline=(60, 0, 0)
            )
            d.ellipse([x, hy - 0.02 * bh, x + 0.035 * bw, hy + 0.02 * bh], fill=(150, 20, 20))
        d.polygon(
            [(hx - 0.1 * bw, bh), (hx, hy + 0.1 * bh), (hx + 0.15 * bw, bh)], fill=(100, 80, 40)
        )
    else:  # cleared floor, a wall-mounted alarm and a yellow marked zone
        d.rectangle(
            [hx - 0.05 * bw, hy + 0.2 * bh, hx + 0.3 * bw, hy + 0.24 * bh], fill=(230, 200, 20)
        )
        d.rectangle(
            [hx + 0.1 * bw, hy - 0.18 * bh, hx + 0.16 * bw, hy - 0.1 * bh],
            fill=(245, 245, 245),
            outline=(0, 120, 0),
            width=4,
        )
    return pil


def scene(seed: int, *, view: int = 0, rectified: bool = False) -> Image.Image:
    """The site of ``seed``: ``view`` shifts the camera (6 % per view, slight zoom), lighting
    changes with it; ``rectified`` draws the site after the hazard was removed."""
    rng = np.random.default_rng(seed)
    big = (int(W * 1.3), int(H * 1.3))
    site = _draw_site(rng, big, rectified=False)
    if rectified:
        site = _draw_site(np.random.default_rng(seed), big, rectified=True)
    dx, dy = int(0.06 * W * view), int(0.03 * H * view)
    zoom = 1 + 0.05 * view
    cw, ch = int(W * 1.15 / zoom), int(H * 1.15 / zoom)
    left, top = (big[0] - cw) // 2 + dx, (big[1] - ch) // 2 + dy
    img = site.crop((left, top, left + cw, top + ch)).resize((W, H), Image.LANCZOS)
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    arr = np.asarray(img, dtype=np.float32)
    yy, xx = np.mgrid[0:H, 0:W]
    r = np.hypot((xx - W / 2) / (W / 2), (yy - H / 2) / (H / 2))
    arr *= (1 - 0.25 * np.clip(r, 0, 1.4) ** 2)[..., None]  # vignetting
    light = 1 + 0.12 * view * (1 if seed % 2 else -1)
    noise = np.random.default_rng(seed * 7 + view).normal(0, 4, arr.shape)  # sensor noise
    return Image.fromarray(np.clip(arr * light + noise, 0, 255).astype(np.uint8))


# --- edits of a stored photo --------------------------------------------------------------


def jpeg_bytes(img: Image.Image, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def resave(img: Image.Image, quality: int = 70) -> Image.Image:
    return Image.open(io.BytesIO(jpeg_bytes(img, quality))).convert("RGB")


def resize(img: Image.Image, factor: float = 0.5) -> Image.Image:
    return img.resize((int(img.width * factor), int(img.height * factor)), Image.LANCZOS)


def crop(img: Image.Image, fraction: float = 0.02) -> Image.Image:
    dx, dy = int(img.width * fraction), int(img.height * fraction)
    return img.crop((dx, dy, img.width - dx, img.height - dy))


def brighten(img: Image.Image, factor: float = 1.25) -> Image.Image:
    return ImageEnhance.Brightness(img).enhance(factor)


def one_pixel(img: Image.Image) -> Image.Image:
    img = img.copy()
    r, g, b = img.getpixel((10, 10))[:3]
    img.putpixel((10, 10), (255 - r, 255 - g, 255 - b))
    return img


def upload(img: Image.Image, name: str = "photo.jpg", fmt: str = "JPEG") -> SimpleUploadedFile:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format=fmt, quality=90)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")
