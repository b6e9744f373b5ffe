"""The quality gate: newsclean's F1 on fixed subsets of the shared corpora, against pinned floors.

``benchmarks/floors.json`` holds, per corpus, the metric, the subset (every N-th
real page by id) and the floor; under ``text``, per text corpus (``text-dev``), the subset
(every N-th text by id) and, per leak style and overall, floors of ``clean_text``'s snippet
precision, recall and F1 (:class:`TextGateSpec`). ``python -m benchmarks floors --write`` measures
and pins them (measured minus a margin); ``tests/test_quality_gate.py`` checks them.
Raising a floor is a normal commit; lowering one needs a reason in the commit message.

>>> spec = GateSpec("goose", "snippet_f1", every=1, floor=0.5)
>>> spec.check(0.49)
False
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.corpus import Corpus, gate_subset
from benchmarks.metrics import (
    BodyCounts,
    SnippetCounts,
    body_scores,
    shingle_counts,
    snippet_counts,
    snippet_scores,
)

__all__ = [
    "FLOORS_PATH", "TEXT_METRICS", "GateSpec", "TextGateSpec", "gate_score", "gate_score_from_rows",
    "load_floors", "load_text_floors", "text_gate_scores", "write_floors",
]

FLOORS_PATH = Path(__file__).with_name("floors.json")
_README = (
    "Quality gate floors for tests/test_quality_gate.py: newsclean's F1 (metric) on every "
    "N-th (every) real page by id of each shared corpus must not fall below floor; under text, "
    "clean_text's snippet precision, recall and F1 per leak style of each text corpus. "
    "Set by `python -m benchmarks floors --write` (measured minus margin). Raising a floor "
    "is a normal commit; lowering one needs a reason in the commit message."
)


@dataclass(frozen=True)
class GateSpec:
    """One corpus's gate: metric (``body_f1`` or ``snippet_f1``), subset step and floor."""

    corpus: str
    metric: str
    every: int
    floor: float
    measured: float | None = None

    def check(self, value: float) -> bool:
        """Whether ``value`` meets the floor (a tiny float tolerance allowed)."""
        return value + 1e-9 >= self.floor


def load_floors(path: Path = FLOORS_PATH) -> dict[str, GateSpec]:
    """The gate specs by corpus name."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: GateSpec(name, spec["metric"], int(spec["every"]), float(spec["floor"]), spec.get("measured"))
        for name, spec in data["corpora"].items()
    }


TEXT_METRICS = ("snippet_p", "snippet_r", "snippet_f1")
"""What the text-mode gate pins, per leak style and overall."""


@dataclass(frozen=True)
class TextGateSpec:
    """One text corpus's gate: every N-th text by id; per leak style (and ``overall``) a floor per
    metric of :data:`TEXT_METRICS`.

    >>> spec = TextGateSpec("text-dev", 2, {"overall": {"snippet_r": 0.9}})
    >>> spec.failures({"overall": {"snippet_r": 0.89, "snippet_p": 0.5}})
    ['overall snippet_r 0.8900 < 0.9']
    """

    corpus: str
    every: int
    floors: dict[str, dict[str, float]]
    measured: dict[str, dict[str, float]] | None = None

    def failures(self, values: dict[str, dict[str, float]]) -> list[str]:
        """The floors that ``values`` (style -> metric -> value) fall below; a missing value fails."""
        return [f"{style} {metric} {values.get(style, {}).get(metric, 0.0):.4f} < {floor}"
                for style, floors in self.floors.items() for metric, floor in floors.items()
                if values.get(style, {}).get(metric, 0.0) + 1e-9 < floor]


def load_text_floors(path: Path = FLOORS_PATH) -> dict[str, TextGateSpec]:
    """The text-mode gate specs by text corpus name (none when ``floors.json`` has no ``text``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: TextGateSpec(name, int(spec["every"]), spec["floors"], spec.get("measured"))
            for name, spec in data.get("text", {}).items()}


def text_gate_scores(root: Path, every: int,
                     clean: Callable[[str], str] | None = None) -> tuple[dict[str, dict[str, float]], int]:
    """``clean`` (default ``clean_text``) on every ``every``-th text of the text corpus at ``root`` (by
    id): per leak style and ``overall``, snippet precision, recall and F1; and the texts scored."""
    from benchmarks.textmode import load_text_corpus, run_clean_text, scores, styles

    rows = sorted(load_text_corpus(root), key=lambda r: r.id)[::every]
    texts, _ = run_clean_text(rows, clean)
    values = {}
    for style in (*styles(rows), "overall"):
        (p, r, f), _, _, _ = scores([row for row in rows if style == "overall" or row.style == style], texts)
        values[style] = dict(zip(TEXT_METRICS, (round(p, 4), round(r, 4), round(f, 4)), strict=True))
    return values, len(rows)


def write_floors(specs: dict[str, GateSpec], path: Path = FLOORS_PATH, *, margin: float = 0.01,
                 text: dict[str, TextGateSpec] | None = None) -> None:
    """Write ``floors.json``: floor = measured - margin, rounded down to 3 decimals. ``text``: the
    text-mode specs (their ``measured`` values pinned the same way); None keeps the file's."""
    corpora: dict[str, Any] = {}
    for name, spec in sorted(specs.items()):
        floor = spec.floor
        if spec.measured is not None:
            floor = math.floor((spec.measured - margin) * 1000) / 1000
        corpora[name] = {
            "metric": spec.metric,
            "every": spec.every,
            "floor": floor,
            "measured": spec.measured,
        }
    payload: dict[str, Any] = {"readme": _README, "margin": margin, "corpora": corpora}
    if text is None:
        old = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        payload["text"] = old.get("text", {})
    else:
        payload["text"] = {
            name: {"every": spec.every,
                   "floors": {style: {m: math.floor((v - margin) * 1000) / 1000 for m, v in values.items()}
                              for style, values in (spec.measured or {}).items()} or spec.floors,
                   "measured": spec.measured}
            for name, spec in sorted(text.items())
        }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def gate_score(
    corpus: Corpus, spec: GateSpec, extract: Callable[[bytes, str | None], str]
) -> tuple[float, int]:
    """``(F1, pages)`` of ``extract`` on the gate subset of ``corpus``; an exception counts as empty text."""
    docs = gate_subset(corpus, spec.every)
    texts = []
    for doc in docs:
        try:
            texts.append(extract(doc.html(), doc.url) or "")
        except Exception:
            texts.append("")
    if spec.metric == "body_f1":
        pairs = [(d, t) for d, t in zip(docs, texts, strict=True) if d.body is not None]
        value = body_scores([shingle_counts(d.body, t) for d, t in pairs]).f1
    elif spec.metric == "snippet_f1":
        pairs = [(d, t) for d, t in zip(docs, texts, strict=True) if d.with_ or d.without]
        value = snippet_scores([snippet_counts(t, d.with_, d.without) for d, t in pairs]).f1
    else:
        raise ValueError(f"unknown gate metric {spec.metric!r}")
    return (value if value is not None else 0.0), len(pairs)


def gate_score_from_rows(
    corpus: Corpus, spec: GateSpec, rows: dict[str, dict[str, Any]]
) -> tuple[float, int]:
    """``(F1, pages)`` on the gate subset from a run's per-page rows (``<corpus>.per_doc.jsonl``).

    >>> from benchmarks.corpus import Doc
    >>> c = Corpus("c", Path("."), (Doc("a", Path("."), with_=("x",)), Doc("b", Path("."), with_=("y",))))
    >>> rows = {"a": {"snippets": {"tp": 1, "fn": 0, "fp": 1}},
    ...         "b": {"snippets": {"tp": 0, "fn": 1, "fp": 0}}}
    >>> gate_score_from_rows(c, GateSpec("c", "snippet_f1", 1, 0.0), rows)
    (0.5, 2)
    """
    docs = gate_subset(corpus, spec.every)
    if spec.metric == "body_f1":
        body = [
            rows.get(d.id, {}).get("body") or {"tp": 0.0, "fp": 0.0, "fn": 1.0}
            for d in docs
            if d.body is not None
        ]
        counts = [BodyCounts(b["tp"], b["fp"], b["fn"], bool(b.get("exact"))) for b in body]
        value = body_scores(counts).f1
        n = len(counts)
    elif spec.metric == "snippet_f1":
        snips = [
            rows.get(d.id, {}).get("snippets") or {"tp": 0, "fn": len(d.with_), "fp": 0}
            for d in docs
            if d.with_ or d.without
        ]
        value = snippet_scores([SnippetCounts(s["tp"], s["fn"], s["fp"]) for s in snips]).f1
        n = len(snips)
    else:
        raise ValueError(f"unknown gate metric {spec.metric!r}")
    return (value if value is not None else 0.0), n
