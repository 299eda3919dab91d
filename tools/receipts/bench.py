"""Receipt scanning benchmark: rendered receipts with ground truth, clean and photographed,
through the same path as the API (preprocess -> tesseract -> parser).

    python -m tools.receipts.bench [--count 40] [--seed 16] [--workers 2] [--json out.json]

"Exact" means: an item read counts when its name (case-folded, whitespace collapsed, anything
but letters and digits dropped), quantity and unit price all equal one printed item (each printed
item matched at most once); the total counts when the total read equals the printed total.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "backend"))

from paytungan.receipts import ocr, parse, preprocess
from tools.receipts.generate import Truth, generate


def normalise(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", re.sub(r"\s+", " ", name.casefold()))


@dataclass
class Score:
    items: int
    items_exact: int
    total_exact: bool
    seconds: float
    cpu_seconds: float


# Generous: on a shared machine the wall time of one tesseract run stretches with the load; the
# CPU time reported alongside is what one scan costs. A scan that still times out scores zero.
OCR_TIMEOUT_SECONDS = 120.0


def scan(data: bytes, currency: str) -> parse.Receipt:
    try:
        png = preprocess.to_png(preprocess.prepare(data))
        lines = ocr.read_lines(png, timeout=OCR_TIMEOUT_SECONDS)
    except ocr.OcrTimeout:
        lines = []
    return parse.parse_receipt(lines, currency=currency)


def score(data: bytes, truth: Truth) -> tuple[Score, parse.Receipt]:
    started, cpu = time.perf_counter(), _cpu()
    receipt = scan(data, truth.currency)
    elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    read = Counter((normalise(i.name), i.quantity, i.unit_price) for i in receipt.items)
    exact = 0
    for name, qty, unit in truth.items:
        key = (normalise(name), qty, unit)
        if read[key] > 0:
            read[key] -= 1
            exact += 1
    return Score(len(truth.items), exact, receipt.total == truth.total, elapsed, cpu), receipt


def _cpu() -> float:
    """CPU seconds of this process and of the tesseract processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run(case: tuple[bytes, Truth]) -> Score:
    return score(*case)[0]


def summarise(scores: list[Score]) -> dict[str, float]:
    items = sum(s.items for s in scores)
    return {
        "receipts": len(scores),
        "items": items,
        "items_exact_pct": round(100 * sum(s.items_exact for s in scores) / max(1, items), 1),
        "totals_exact_pct": round(
            100 * sum(s.total_exact for s in scores) / max(1, len(scores)), 1
        ),
        "seconds_per_receipt_median": round(sorted(s.seconds for s in scores)[len(scores) // 2], 2),
        "seconds_per_receipt_max": round(max(s.seconds for s in scores), 2),
        "cpu_seconds_per_receipt_mean": round(sum(s.cpu_seconds for s in scores) / len(scores), 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    report: dict[str, object] = {"tesseract": ocr.tesseract_path(), "cpus": os.cpu_count()}
    for kind, photographed in (("clean", False), ("photographed", True)):
        cases = generate(args.count, seed=args.seed, photographed=photographed)
        started = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            scores = list(pool.map(_run, cases))
        wall = time.perf_counter() - started
        summary = summarise(scores)
        summary["wall_seconds_per_receipt"] = round(wall / len(cases), 2)
        report[kind] = summary
        print(f"{kind:13} " + "  ".join(f"{k}={v}" for k, v in summary.items()), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
