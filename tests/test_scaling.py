"""No page costs unbounded time or memory: each hostile family (tests/hostile_families.py),
grown 1x, 4x and 16x, takes at most linearly more CPU time and a peak RSS under a stated
multiple of its size.

Each size runs in a process of its own (peak RSS is per process). Before the bounds these
grew quadratically or worse: 16x the input cost 100-1000x the time, or gigabytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_families import FAMILIES

SCRIPT = Path(__file__).with_name("hostile_families.py")
ROOT = Path(__file__).resolve().parents[1]

# Linear growth: the time grows as much as the input (16x, less the fixed part of a page); allow
# SLACK times that for noise (a quadratic family grows 256x). Times under FLOOR seconds are read
# as FLOOR: a few milliseconds say nothing about growth.
SLACK = 3
FLOOR = 0.05
# Peak RSS growth of the call, per byte of input, plus a fixed allowance for the first page
# that builds Lexbor's, lxml's and trafilatura's structures.
RSS_PER_BYTE = 120
RSS_FIXED = 80 * 2**20

# The scale each family starts from here: small enough that 16x runs in about a second.
START = {
    "attributes-glued": 0.5,
    "attributes-quoted-names": 0.5,
    "attributes-many-elements": 0.25,
    "table-spans": 1,
    "table-cells-in-a-row": 0.25,
    "formatting-left-open": 0.5,
    "formatting-left-open-in-cells": 0.25,
    "links-in-one-paragraph": 0.25,
    "links-in-one-div": 0.25,
    "ampersands": 0.25,
    "credit-lines": 0.25,
    "credit-lines-text": 0.25,
    "short-paragraphs": 0.25,
    "nested-furniture": 0.5,
    "lower-case-paragraphs": 0.5,
    "hard-wrapped-text": 0.5,
    "lines-sharing-bigrams": 0.1,
    "widget-headings-text": 0.25,
}


def run(family: str, scale: float) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(SCRIPT), family, str(scale)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def test_every_family_has_a_start() -> None:
    assert set(START) == set(FAMILIES)


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_cost_grows_at_most_linearly(family: str) -> None:
    sizes = [run(family, START[family] * factor) for factor in (1, 4, 16)]
    small = sizes[0]
    assert sizes[2]["bytes"] / small["bytes"] > 8  # the input really grew
    for size in sizes[1:]:
        growth = max(size["seconds"], FLOOR) / max(small["seconds"], FLOOR)
        allowed = SLACK * size["bytes"] / small["bytes"]
        assert growth <= allowed, f"{family}: {growth:.0f}x the time, {allowed / SLACK:.0f}x the input"
    for size in sizes:
        assert size["rss_growth"] <= RSS_PER_BYTE * size["bytes"] + RSS_FIXED, f"{family}: {size}"
