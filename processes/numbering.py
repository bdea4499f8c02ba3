"""Step numbers as the manuals print them: the start and end terminators (and on-page
connectors) are not steps of work and carry no number, so ที่ ๑ is the first real step.

One function for every place a step number shows: Tables 3 and 5, the chart, the editor.
"""

from __future__ import annotations

from collections.abc import Iterable

UNNUMBERED_SHAPES = frozenset({"start", "end", "connector"})


def step_numbers(shapes: Iterable[str]) -> list[int | None]:
    """The printed number of each step, given the steps' shapes in order (None: unnumbered)."""
    numbers: list[int | None] = []
    count = 0
    for shape in shapes:
        if shape in UNNUMBERED_SHAPES:
            numbers.append(None)
        else:
            count += 1
            numbers.append(count)
    return numbers


def number_steps(steps: list) -> list:
    """Set ``step.number`` (int or None) on steps given in order; returns them."""
    for step, number in zip(steps, step_numbers(s.shape for s in steps), strict=True):
        step.number = number
    return steps
