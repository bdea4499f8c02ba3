"""Measure the duration parser on the labelled seed corpus.

Runs ``processes.durations.parse_duration`` over every duration cell of the seeds (with
multiplicity, from ``tests/data/seed_durations.tsv``), compares with the hand labels in
``tests/data/duration_labels.tsv`` and prints the share parsed right, by shape and overall, then
the mismatches. A cell is right when the kind matches and, for kind "length", low, high, unit,
per and qualifier all match.

Usage::

    python scripts/measure_durations.py [--min 0.95]

Exits 1 when the overall rate is below ``--min``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from processes.durations import Duration, parse_duration  # noqa: E402

DATA = REPO / "tests" / "data"
CELLS = DATA / "seed_durations.tsv"
LABELS = DATA / "duration_labels.tsv"
SHAPES = (
    "number_unit",
    "range",
    "per_item",
    "qualifier",
    "bare_number",
    "immediate",
    "ongoing",
    "schedule",
    "other",
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def load_cells() -> list[tuple[str, str]]:
    """(seed, text) of every duration cell, duplicates kept."""
    return [(row["seed"], row["text"]) for row in _read(CELLS)]


def load_labels() -> dict[str, dict[str, str]]:
    """Hand labels keyed by cell text."""
    return {row["text"]: row for row in _read(LABELS)}


def _dec(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def differences(label: dict[str, str], got: Duration) -> list[str]:
    """Fields where the parse differs from the label (empty when right)."""
    diffs = []
    if got.kind != label["kind"]:
        diffs.append(f"kind {got.kind} != {label['kind']}")
    if label["kind"] != "length":
        return diffs
    expected = {
        "low": _dec(label["low"]),
        "high": _dec(label["high"]),
        "unit": label["unit"] or None,
        "per": label["per"] or None,
        "qualifier": label["qualifier"] or None,
    }
    for field, want in expected.items():
        have = getattr(got, field)
        if have != want:
            diffs.append(f"{field} {have} != {want}")
    return diffs


def measure() -> tuple[dict[str, Counter[str]], list[tuple[str, str, int, list[str]]]]:
    """Per shape: Counter with "cells" and "right"; and the mismatches (text, shape, n, diffs)."""
    labels = load_labels()
    cells = Counter(text for _, text in load_cells())
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    mismatches = []
    for text, n in sorted(cells.items()):
        label = labels.get(text)
        if label is None:
            raise KeyError(f"cell without a label: {text!r}")
        shape = label["shape"]
        diffs = differences(label, parse_duration(text))
        stats[shape]["cells"] += n
        stats[shape]["distinct"] += 1
        if diffs:
            mismatches.append((text, shape, n, diffs))
        else:
            stats[shape]["right"] += n
            stats[shape]["distinct_right"] += 1
    return stats, mismatches


def overall_rate() -> float:
    stats, _ = measure()
    cells = sum(c["cells"] for c in stats.values())
    return sum(c["right"] for c in stats.values()) / cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=0.95, help="required overall rate")
    args = parser.parse_args(argv)
    stats, mismatches = measure()
    print(f"{'shape':<13} {'cells':>6} {'right':>6} {'rate':>7}   {'distinct':>8} {'right':>6}")
    total = Counter()
    for shape in SHAPES:
        c = stats.get(shape)
        if not c:
            continue
        total.update(c)
        rate = c["right"] / c["cells"]
        print(
            f"{shape:<13} {c['cells']:>6} {c['right']:>6} {rate:>7.1%}"
            f"   {c['distinct']:>8} {c['distinct_right']:>6}"
        )
    rate = total["right"] / total["cells"]
    print(
        f"{'overall':<13} {total['cells']:>6} {total['right']:>6} {rate:>7.1%}"
        f"   {total['distinct']:>8} {total['distinct_right']:>6}"
    )
    print(f"\nmismatches ({len(mismatches)} distinct texts):")
    for text, shape, n, diffs in mismatches:
        print(f"  [{shape}] x{n} {text!r}: {'; '.join(diffs)}")
    return 0 if rate >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
