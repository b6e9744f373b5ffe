"""Text mode on leaked text: ``clean_text`` against its input, per leak style and overall.

A text corpus (``shared/corpora/text-dev``) holds ``noisy.jsonl.gz`` (``{"id", "corpus",
"extractor", "noisy"}``: what an extractor, the *leak style*, left of a page) and ``truth.jsonl``
(the source corpus's truth for the same id). Pages from the trafilatura corpus are scored with the
snippet metric (``with``/``without`` snippets, counts summed), pages from the readability corpus
with the shingle metric (``body``, mean per page): :mod:`benchmarks.metrics`. Each row compares the
input itself, ``clean_text``'s output and, with ``--against``, a saved run (another version's)::

    python -m benchmarks text ../shared/corpora/text-dev --folds
    python -m benchmarks text ../shared/corpora/text-dev --save new.jsonl.gz --against old.jsonl.gz

Folds split the ids in two by a hash (:func:`fold`): report both, so that nothing is tuned on one.

>>> counts = [SnippetCounts(tp=3, fn=1, fp=1)]
>>> round(snippet_scores(counts).precision or 0, 2)
0.75
>>> fold("0a12df42d1764095989ab078ee0f940b") in (0, 1)
True
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.metrics import SnippetCounts, body_scores, shingle_counts, snippet_counts, snippet_scores

__all__ = ["STYLES", "TextRow", "fold", "load_text_corpus", "run_clean_text", "scores", "table"]

STYLES = ("resiliparse", "traf-comments", "boilerpy3", "html-text")
"""The leak styles of text-dev, in the order the tables show them (others follow, sorted)."""

Scores = tuple[float, float, float]


@dataclass(frozen=True)
class TextRow:
    """One leaked text with its truth: ``style`` is the extractor that leaked it."""

    id: str
    style: str
    noisy: str
    source: str  # the corpus the page came from: "trafilatura" (snippets) or "readability" (body)
    truth: dict[str, Any]


def is_text_corpus(root: Path) -> bool:
    """Whether ``root`` is a text corpus (``noisy.jsonl.gz`` and ``truth.jsonl``)."""
    return (root / "noisy.jsonl.gz").is_file() and (root / "truth.jsonl").is_file()


def load_text_corpus(root: Path) -> list[TextRow]:
    """The rows of a text corpus, in file order."""
    with open(root / "truth.jsonl", encoding="utf-8") as f:
        truth = {r["id"]: r for r in map(json.loads, f)}
    with gzip.open(root / "noisy.jsonl.gz", "rt", encoding="utf-8") as f:
        return [TextRow(str(r["id"]), str(r["extractor"]), str(r["noisy"]), str(r["corpus"]), truth[r["id"]])
                for r in map(json.loads, f)]


def fold(record_id: str) -> int:
    """0 or 1: a stable split of the ids by a hash (the first byte of its SHA-1, odd or even)."""
    return hashlib.sha1(record_id.encode()).digest()[0] & 1


def scores(rows: Iterable[TextRow], texts: dict[str, str]) -> tuple[Scores, Scores, int, int]:
    """(snippet P, R, F1), (shingle P, R, F1), and the pages each was taken on."""
    snip: list[SnippetCounts] = []
    body = []
    for row in rows:
        text = texts[row.id]
        if row.truth.get("body") is not None:
            body.append(shingle_counts(row.truth["body"], text))
        elif row.truth.get("with") or row.truth.get("without"):
            snip.append(snippet_counts(text, row.truth.get("with") or (), row.truth.get("without") or ()))
    s, b = snippet_scores(snip), body_scores(body)
    return ((s.precision or 0.0, s.recall or 0.0, s.f1 or 0.0),
            (b.precision or 0.0, b.recall or 0.0, b.f1 or 0.0), len(snip), len(body))


def styles(rows: Sequence[TextRow]) -> list[str]:
    """The leak styles present, text-dev's first."""
    present = {r.style for r in rows}
    return [s for s in STYLES if s in present] + sorted(present - set(STYLES))


def table(rows: Sequence[TextRow], systems: dict[str, dict[str, str]], title: str) -> str:
    """A Markdown table: per leak style and overall, each system's snippet and shingle P/R/F1."""
    out = [f"### {title}", "", "| leak style | pages (snippet/shingle) | system | snippet P | R | F1 | "
           "shingle P | R | F1 |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for style in (*styles(rows), "overall"):
        subset = [r for r in rows if style == "overall" or r.style == style]
        for name, texts in systems.items():
            (sp, sr, sf), (bp, br, bf), ns, nb = scores(subset, texts)
            cells = " | ".join(f"{x:.3f}" for x in (sp, sr, sf, bp, br, bf))
            out.append(f"| {style} | {ns}/{nb} | {name} | {cells} |")
    return "\n".join(out)


def run_clean_text(rows: Sequence[TextRow], clean: Callable[[str], str] | None = None,
                   progress: Callable[[str], None] | None = None) -> tuple[dict[str, str], float]:
    """``clean`` (default: ``newsclean.clean_text(...).text``) on every row's text: the texts by id,
    and the seconds taken."""
    if clean is None:
        import newsclean

        def clean(text: str) -> str:
            return newsclean.clean_text(text).text

    out: dict[str, str] = {}
    started = time.perf_counter()
    for n, row in enumerate(rows, 1):
        out[row.id] = clean(row.noisy)
        if progress is not None and not n % 200:
            progress(f"  {n}/{len(rows)} texts, {time.perf_counter() - started:.0f} s")
    return out, time.perf_counter() - started


def save(texts: dict[str, str], path: Path) -> None:
    """Write a run's texts (``{"id", "text"}`` per line; ``.gz`` compressed)."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as f:
        for key, text in texts.items():
            f.write(json.dumps({"id": key, "text": text}, ensure_ascii=False) + "\n")


def load_saved(path: Path) -> dict[str, str]:
    """A run's texts written by :func:`save`."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return {str(r["id"]): str(r["text"]) for r in map(json.loads, f)}


def report(roots: Sequence[Path], *, folds: bool = False, against: Path | None = None,
           save_to: Path | None = None, log: Callable[[str], None] | None = None) -> str:
    """The Markdown report of ``python -m benchmarks text``: one section per corpus (and fold)."""
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    sections = []
    for root in roots:
        rows = load_text_corpus(root)
        log(f"{root.name}: clean_text on {len(rows)} texts")
        texts, seconds = run_clean_text(rows, progress=log)
        log(f"  {seconds:.1f} s ({1000 * seconds / max(1, len(rows)):.1f} ms a text)")
        if save_to is not None:
            save(texts, save_to if len(roots) == 1 else save_to.with_name(f"{root.name}-{save_to.name}"))
        systems = {"input": {r.id: r.noisy for r in rows}}
        if against is not None:
            systems["against"] = load_saved(against)
        systems["clean_text"] = texts
        sections.append(table(rows, systems, f"{root.name}, all"))
        if folds:
            for k in (0, 1):
                subset = [r for r in rows if fold(r.id) == k]
                sections.append(table(subset, systems, f"{root.name}, fold {k}"))
    return "\n\n".join(sections)
