"""Image clean-up: straightening, bounded size, refusing what isn't a readable image."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image
from tools.receipts.generate import clean_png, make_truth, render

from paytungan.receipts import preprocess


def _receipt(seed: int = 5) -> Image.Image:
    rng = random.Random(seed)
    return render(make_truth(rng), rng)


@pytest.mark.parametrize("angle", [-8.0, -3.0, 0.0, 4.0, 9.5])
def test_skew_angle_undoes_a_rotation(angle: float) -> None:
    rotated = _receipt().rotate(angle, expand=True, fillcolor=255)
    gray = np.asarray(rotated, dtype=np.uint8)
    found = preprocess.skew_angle(preprocess.binarize(gray))
    # Pillow and OpenCV both turn counter-clockwise for a positive angle.
    assert abs(found + angle) <= 0.6
    straightened = preprocess.rotate(gray, found)
    assert abs(preprocess.skew_angle(preprocess.binarize(straightened))) <= 0.6


def test_large_images_are_downscaled_to_the_ocr_budget() -> None:
    gray = np.full((4000, 3000), 255, dtype=np.uint8)
    small = preprocess.downscale(gray)
    assert small.shape[0] * small.shape[1] <= preprocess.MAX_OCR_PIXELS
    assert abs(small.shape[0] / small.shape[1] - 4 / 3) < 0.01


def test_exif_orientation_is_applied_when_loading() -> None:
    upright = _receipt()
    stored = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    stored.convert("RGB").save(out, "JPEG", exif=exif.tobytes())
    assert preprocess.load(out.getvalue()).size == upright.size


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a not really", "not_an_image"),
        (clean_png(_receipt())[:5000], "corrupt_image"),
    ],
)
def test_unreadable_uploads_are_rejected_with_a_code(data: bytes, code: str) -> None:
    with pytest.raises(preprocess.ImageRejected) as raised:
        preprocess.load(data)
    assert raised.value.code == code
