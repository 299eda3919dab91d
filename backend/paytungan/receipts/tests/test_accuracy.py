"""A small accuracy check of the whole scan path (clean-up, tesseract, parser) on rendered
receipts; the full benchmark is make bench-receipts (docs/benchmarks.md)."""

from __future__ import annotations

from tools.receipts.bench import score, summarise
from tools.receipts.generate import generate


def test_clean_receipts_are_read_exactly() -> None:
    scores = [score(data, truth)[0] for data, truth in generate(3, seed=16)]
    summary = summarise(scores)
    assert summary["items_exact_pct"] >= 90, summary
    assert summary["totals_exact_pct"] == 100, summary


def test_photographed_receipts_are_mostly_read() -> None:
    scores = [score(data, truth)[0] for data, truth in generate(2, seed=16, photographed=True)]
    summary = summarise(scores)
    assert summary["items_exact_pct"] >= 75, summary
