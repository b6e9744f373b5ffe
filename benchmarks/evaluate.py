"""Score one extractor's outputs on one corpus: every metric of :mod:`benchmarks.metrics`.

>>> from pathlib import Path
>>> from benchmarks.corpus import Doc
>>> docs = [Doc("a", Path("."), body="Storm hits the coast today.", title="Storm"),
...         Doc("b", Path("."), with_=("rain fell",), without=("Most Read",))]
>>> outs = {"a": Output("Storm hits the coast today.\\nMost Read", title="Storm"),
...         "b": Output("The rain fell.\\nMost Read")}
>>> s = score(docs, outs, {"a": 1.0, "b": 3.0}, bootstrap_rounds=20)
>>> s["body"]["precision"], s["body"]["recall"], s["snippets"]["f1"], s["metadata"]["title"]["accuracy"]
(0.5, 1.0, 0.6667, 1.0)
>>> s["leakage"]["share"], s["leakage"]["docs"], s["speed"]["median_ms"]
(1.0, 2, 2.0)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from benchmarks.corpus import Doc
from benchmarks.extractors import Output
from benchmarks.metrics import (
    BodyCounts,
    SnippetCounts,
    author_f1,
    body_scores,
    bootstrap_se,
    date_match,
    leaked_lines,
    normalize_snippet,
    percentile,
    shingle_counts,
    snippet_counts,
    snippet_scores,
    title_match,
)

__all__ = ["HEADLINE_METRICS", "headline_metric", "per_doc", "score"]

HEADLINE_METRICS = ("body_f1", "snippet_f1")


def headline_metric(docs: Sequence[Doc]) -> str:
    """``body_f1`` when most documents have a full body, else ``snippet_f1``.

    >>> from pathlib import Path
    >>> headline_metric([Doc("a", Path("."), body="x"), Doc("b", Path("."), with_=("y",))])
    'body_f1'
    >>> headline_metric([Doc("a", Path("."), with_=("y",))])
    'snippet_f1'
    """
    with_body = sum(1 for d in docs if d.body is not None)
    return "body_f1" if with_body and with_body * 2 >= len(docs) else "snippet_f1"


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def _mean(xs: Sequence[float]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def score(
    docs: Sequence[Doc],
    outputs: Mapping[str, Output],
    times_ms: Mapping[str, float],
    *,
    errors: Mapping[str, str] | None = None,
    bootstrap_rounds: int = 200,
    meta_fields: Sequence[str] = ("title", "authors", "date"),
) -> dict[str, Any]:
    """All metrics for one extractor; a document without output counts as empty text.

    Metadata fields the extractor does not offer (not in ``meta_fields``) score ``None``.
    """
    errors = errors or {}
    empty = Output("")
    outs = [outputs.get(d.id, empty) for d in docs]

    body_docs = [(d, o) for d, o in zip(docs, outs, strict=True) if d.body is not None]
    counts: list[BodyCounts] = [shingle_counts(d.body, o.text) for d, o in body_docs]
    body: dict[str, Any] = {"n": len(counts)}
    if counts:
        b = body_scores(counts)

        def stat(name: str) -> Any:
            return lambda sample: getattr(body_scores(sample), name)

        body.update(
            precision=_r(b.precision), recall=_r(b.recall), f1=_r(b.f1), accuracy=_r(b.accuracy),
            se={
                k: _r(bootstrap_se(counts, stat(k), rounds=bootstrap_rounds))
                for k in ("precision", "recall", "f1")
            },
        )  # fmt: skip

    snip_docs = [(d, o) for d, o in zip(docs, outs, strict=True) if d.with_ or d.without]
    sc: list[SnippetCounts] = [snippet_counts(o.text, d.with_, d.without) for d, o in snip_docs]
    snippets: dict[str, Any] = {"n": len(sc)}
    if sc:
        s = snippet_scores(sc)
        snippets.update(
            precision=_r(s.precision), recall=_r(s.recall), f1=_r(s.f1), tp=s.tp, fn=s.fn, fp=s.fp,
            se={"f1": _r(bootstrap_se(sc, lambda xs: snippet_scores(xs).f1, rounds=bootstrap_rounds))},
        )  # fmt: skip
        if any(d.without for d, _ in snip_docs):  # the share of pages holding a snippet that must go
            snippets["leaky"] = _r(sum(1 for c in sc if c.fp) / len(sc))

    titles = [m for d, o in zip(docs, outs, strict=True) if (m := title_match(d.title, o.title)) is not None]
    authors = [
        f for d, o in zip(docs, outs, strict=True) if (f := author_f1(d.authors, o.authors)) is not None
    ]
    dates = [m for d, o in zip(docs, outs, strict=True) if (m := date_match(d.date, o.date)) is not None]
    metadata = {
        "title": {"accuracy": _r(_mean([float(x) for x in titles])), "n": len(titles)},
        "authors": {"f1": _r(_mean(authors)), "n": len(authors)},
        "date": {"accuracy": _r(_mean([float(x) for x in dates])), "n": len(dates)},
    }
    for key, entry in metadata.items():
        if key not in meta_fields:
            entry["accuracy" if key != "authors" else "f1"] = None

    leaks = [leaked_lines(o.text, d.truth_text) for d, o in zip(docs, outs, strict=True)]
    by_kind: Counter[str] = Counter()
    for doc_leaks in leaks:
        by_kind.update({k for k, _ in doc_leaks})
    examples = [
        [d.id, k, line] for d, doc_leaks in zip(docs, leaks, strict=True) for k, line in doc_leaks[:2]
    ]
    n_leaky = sum(1 for x in leaks if x)
    leakage = {
        "share": _r(n_leaky / len(docs)) if docs else None,
        "docs": n_leaky,
        "n": len(docs),
        "by_kind": dict(sorted(by_kind.items())),
        "examples": examples[:30],
    }

    speed = _speed(docs, outs, times_ms)
    types = sorted({d.page_type for d in docs if d.page_type})
    if types:  # the same per page type, where the corpus gives one
        speed["by_type"] = {}
        for kind in types:
            pairs = [(d, o) for d, o in zip(docs, outs, strict=True) if d.page_type == kind]
            speed["by_type"][kind] = _speed([d for d, _ in pairs], [o for _, o in pairs], times_ms)

    failed = [d.id for d in docs if d.id in errors]
    return {
        "body": body,
        "snippets": snippets,
        "metadata": metadata,
        "leakage": leakage,
        "speed": speed,
        "errors": sum(1 for i in failed if not errors[i].startswith("timeout")),
        "timeouts": sum(1 for i in failed if errors[i].startswith("timeout")),
        "error_examples": [[i, errors[i]] for i in failed[:5]],
        "empty": sum(1 for o in outs if not o.text.strip()),
    }


def _speed(docs: Sequence[Doc], outs: Sequence[Output], times_ms: Mapping[str, float]) -> dict[str, Any]:
    """docs/s (pages over their summed time), median and p95 ms of ``docs``, and the share of
    them that took the trafilatura fallback (newsclean's outputs say).

    >>> from pathlib import Path
    >>> docs = [Doc(i, Path(".")) for i in "abc"]
    >>> outs = [Output("", fallback=f) for f in (True, False, False)]
    >>> _speed(docs, outs, {"a": 10.0, "b": 20.0, "c": 30.0})
    {'n': 3, 'docs_per_s': 50.0, 'median_ms': 20.0, 'p95_ms': 29.0, 'total_s': 0.06, 'fallback': 0.3333}
    """
    times = [times_ms[d.id] for d in docs if d.id in times_ms]
    speed: dict[str, Any] = {"n": len(times)}
    if times:
        total = sum(times) / 1000
        speed.update(
            docs_per_s=_r(len(times) / total, 2) if total > 0 else None,
            median_ms=_r(percentile(times, 50), 2),
            p95_ms=_r(percentile(times, 95), 2),
            total_s=_r(total, 3),
        )
    flags = [o.fallback for o in outs if o.fallback is not None]
    if flags:  # newsclean: the share of pages that took the trafilatura fallback
        speed["fallback"] = _r(sum(flags) / len(flags))
    return speed


def per_doc(doc: Doc, out: Output, ms: float | None, error: str | None) -> dict[str, Any]:
    """One row of the per-document file: the scores behind the table, for finding bad pages.

    >>> from pathlib import Path
    >>> row = per_doc(Doc("a", Path("."), with_=("x y",)), Output("x  y"), 2.0, None)
    >>> row["snippets"], row["missing"]
    ({'tp': 1, 'fn': 0, 'fp': 0}, [])
    """
    row: dict[str, Any] = {"id": doc.id, "ms": _r(ms, 3), "error": error, "chars": len(out.text)}
    if doc.body is not None:
        c = shingle_counts(doc.body, out.text)
        row["body"] = {"tp": _r(c.tp, 6), "fp": _r(c.fp, 6), "fn": _r(c.fn, 6), "exact": c.exact}
    if doc.with_ or doc.without:
        s = snippet_counts(out.text, doc.with_, doc.without)
        hay = normalize_snippet(out.text)
        row["snippets"] = {"tp": s.tp, "fn": s.fn, "fp": s.fp}
        row["missing"] = [w for w in doc.with_ if normalize_snippet(w) not in hay]
        row["leaked"] = [w for w in doc.without if normalize_snippet(w) and normalize_snippet(w) in hay]
    row["boilerplate"] = [[k, line] for k, line in leaked_lines(out.text, doc.truth_text)]
    row["title"] = title_match(doc.title, out.title)
    row["authors"] = _r(author_f1(doc.authors, out.authors))
    row["date"] = date_match(doc.date, out.date)
    return row
