"""Text from a prepared receipt image by the `tesseract` binary (Indonesian + English models).

A subprocess, so a slow or stuck OCR is killed at the timeout and never holds a worker for long;
OMP_THREAD_LIMIT=1 keeps one scan on one core (the concurrency cap decides how many run at once).
"""

from __future__ import annotations

import os
import shutil
import subprocess

LANGUAGES = "ind+eng"
TIMEOUT_SECONDS = 15.0


class OcrUnavailable(RuntimeError):
    """Tesseract is missing or failed."""


class OcrTimeout(OcrUnavailable):
    """Tesseract ran past its time limit and was killed."""


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def read_lines(png: bytes, *, timeout: float = TIMEOUT_SECONDS) -> list[str]:
    binary = tesseract_path()
    if binary is None:
        raise OcrUnavailable("tesseract is not installed")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [
                binary,
                "stdin",
                "stdout",
                "-l",
                LANGUAGES,
                "--psm",
                "4",
                "--oem",
                "1",
                "-c",
                "preserve_interword_spaces=1",
            ],
            input=png,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeout(f"tesseract took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {done.stderr.decode(errors='replace')[:200]}")
    return [line for line in done.stdout.decode("utf-8", errors="replace").splitlines()]
