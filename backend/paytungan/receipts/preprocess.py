"""Image clean-up before OCR: decode safely, honour EXIF rotation, grayscale, bound the pixel
count, straighten (deskew) and binarize with an adaptive threshold (uneven light).

Pillow decodes (it reads the header first, so a pixel bomb is refused before its pixels are);
OpenCV does the pixel work.
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG", "PNG", "WEBP"}
# Decoding more than this is refused outright (a 10 MB PNG can claim 100,000 x 100,000 pixels).
MAX_INPUT_PIXELS = 40_000_000
# OCR never sees more than this: text on a receipt photo stays legible, and the time is bounded.
MAX_OCR_PIXELS = 3_000_000
MAX_SKEW_DEGREES = 12.0
TARGET_TEXT_HEIGHT = 30.0


class ImageRejected(ValueError):
    """The upload is not an image we can read; `code` tells which way it failed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def load(data: bytes) -> Image.Image:
    """Decode a JPEG, PNG or WebP upload, EXIF-rotated, as 8-bit grayscale."""
    try:
        image = Image.open(io.BytesIO(data))
        image_format = image.format
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ImageRejected(
            "not_an_image", _("The file is not a JPEG, PNG or WebP image.")
        ) from exc
    if image_format not in FORMATS:
        raise ImageRejected(
            "unsupported_image_type",
            _("{format} images are not accepted: send a JPEG, PNG or WebP image.").format(
                format=image_format or "These"
            ),
        )
    width, height = image.size
    if width * height > MAX_INPUT_PIXELS:
        raise ImageRejected(
            "image_too_large",
            _("The image is {width} x {height} pixels; at most {max} pixels.").format(
                width=width, height=height, max=f"{MAX_INPUT_PIXELS:,}"
            ),
        )
    try:
        # Reduce JPEGs while decoding (draft) when they are far over the OCR budget.
        if image_format == "JPEG":
            scale = math.sqrt(width * height / MAX_OCR_PIXELS)
            if scale >= 2:
                image.draft("L", (int(width / scale) + 1, int(height / scale) + 1))
        image.load()
        upright: Image.Image = ImageOps.exif_transpose(image)
        return upright.convert("L")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ImageRejected("corrupt_image", _("The image is truncated or damaged.")) from exc


def downscale(gray: np.ndarray, max_pixels: int = MAX_OCR_PIXELS) -> np.ndarray:
    height, width = gray.shape[:2]
    if width * height <= max_pixels:
        return gray
    scale = math.sqrt(max_pixels / (width * height))
    size = (max(1, int(width * scale)), max(1, int(height * scale)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA)


def binarize(gray: np.ndarray) -> np.ndarray:
    """Black text on white, whatever the lighting: a threshold relative to the neighbourhood."""
    height, width = gray.shape[:2]
    block = max(15, (min(height, width) // 30) | 1)
    smooth = cv2.medianBlur(gray, 3)
    return cv2.adaptiveThreshold(
        smooth, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15
    )


def skew_angle(binary: np.ndarray) -> float:
    """The rotation (degrees) that makes text lines horizontal: the angle whose row profile of
    ink is sharpest, searched coarse then fine on a small copy."""
    ink = 255 - binary
    height, width = ink.shape
    scale = min(1.0, 800 / max(height, width))
    small = cv2.resize(ink, (max(1, int(width * scale)), max(1, int(height * scale))))
    center = (small.shape[1] / 2, small.shape[0] / 2)

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
        rotated = cv2.warpAffine(small, matrix, (small.shape[1], small.shape[0]))
        rows = rotated.sum(axis=1, dtype=np.float64)
        return float(np.sum(np.diff(rows) ** 2))

    best = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.1, 1.0), key=sharpness)
    fine = np.arange(best - 1.0, best + 1.01, 0.2)
    return float(max(fine, key=sharpness))


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.1:
        return gray
    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(height * sin + width * cos), int(height * cos + width * sin)
    matrix[0, 2] += new_w / 2 - width / 2
    matrix[1, 2] += new_h / 2 - height / 2
    return cv2.warpAffine(gray, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderValue=(255,))


def text_height(binary: np.ndarray) -> float | None:
    """Median height of the ink blobs that look like characters, in pixels."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(255 - binary, connectivity=8)
    heights = stats[1:count, cv2.CC_STAT_HEIGHT]
    widths = stats[1:count, cv2.CC_STAT_WIDTH]
    glyphs = heights[(heights >= 6) & (heights <= 200) & (widths <= heights * 3)]
    return float(np.median(glyphs)) if len(glyphs) >= 20 else None


def upscale(gray: np.ndarray, binary: np.ndarray) -> np.ndarray:
    """Tesseract reads best at capital letters ~30 px tall; small text is enlarged (within the
    pixel budget), large text left as it is."""
    height = text_height(binary)
    if height is None or height >= TARGET_TEXT_HEIGHT:
        return gray
    rows, cols = gray.shape[:2]
    scale = min(TARGET_TEXT_HEIGHT / height, 2.5, math.sqrt(MAX_OCR_PIXELS / (rows * cols)))
    if scale < 1.15:
        return gray
    return cv2.resize(gray, (int(cols * scale), int(rows * scale)), interpolation=cv2.INTER_CUBIC)


def prepare(data: bytes) -> np.ndarray:
    """Upload bytes -> a straightened black-on-white image ready for Tesseract."""
    gray = np.asarray(load(data), dtype=np.uint8)
    gray = downscale(gray)
    gray = upscale(gray, binarize(gray))
    angle = skew_angle(binarize(gray))
    return binarize(rotate(gray, angle))


def to_png(binary: np.ndarray) -> bytes:
    ok, encoded = cv2.imencode(".png", binary)
    if not ok:  # pragma: no cover - encoding a uint8 array does not fail
        raise RuntimeError("PNG encoding failed")
    return bytes(encoded.tobytes())
