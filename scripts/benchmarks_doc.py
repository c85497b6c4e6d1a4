"""What the benchmark scripts share: percentiles, and their section of docs/benchmarks.md. Stdlib only."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def markers(name: str) -> tuple:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(name: str, heading: str, body: str) -> None:
    """Replace the part of docs/benchmarks.md between the ``name`` markers (appended under ``heading`` if absent)."""
    start, end = markers(name)
    section = f"{start}\n{body}\n{end}"
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + f"\n\n## {heading}\n\n{section}\n"
    BENCHMARKS.write_text(text, encoding="utf-8")
    print(f"written to {BENCHMARKS.name} ({name})")
