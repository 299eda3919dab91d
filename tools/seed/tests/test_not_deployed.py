"""The seed data stays out of the production image (decision 0022)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_production_image_copies_neither_tools_nor_capacity() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    sources = [
        line.split()[1:-1]
        for line in dockerfile.splitlines()
        if re.match(r"^COPY\s", line) and "--from=" not in line
    ]
    copied = {src for srcs in sources for src in srcs}
    assert "backend" in copied
    assert not {s for s in copied if s.split("/")[0] in {"tools", "capacity", "."}}


def test_nothing_of_the_seed_data_is_left_in_the_deployed_package() -> None:
    package = ROOT / "backend" / "paytungan"
    assert not (package / "ops" / "seed.py").exists()
    leftovers = [
        p.relative_to(ROOT)
        for p in package.rglob("*.py")
        if p.stem in {"demo_data", "seed_bench"} or "tools.seed" in p.read_text()
    ]
    assert leftovers == [p for p in leftovers if "tests" in p.parts or p.name == "settings.py"]
