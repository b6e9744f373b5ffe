"""The dates stage, before and after a change: accuracy and CPU cost per corpus.

For every page of each corpus, ``newsclean.clean`` runs with the dates stage's two calls
in the pipeline (``date_clues`` before pruning, ``publication_date`` after extraction)
wrapped in CPU timers, and its two searches counted: the "fast" one (htmldate's fast search,
``dates.page_date``, until newsclean weighed the clues itself; since then
``dates.element_date``) and ``dates.search_date`` (htmldate's extensive one before,
newsclean's own patterns since). ``--measure`` does one tree (the
``newsclean`` on ``PYTHONPATH``) and prints one JSON line per page; with ``--before`` and
``--after`` (two source trees) the script runs ``--measure`` in fresh processes,
alternating the trees corpus by corpus (the cores are shared: CPU time, interleaved),
and prints the table: date accuracy (``benchmarks.metrics.date_match``), the stage's CPU
ms per page (mean, p95), the share of pages reaching htmldate's fast and extensive
searches, and every page whose day changed against the truth::

    python benchmarks/dates_cost.py --before ../old-clone --after . trafilatura wcxb-dev

Run it as a file (not ``-m``): the tree under test is put first on ``PYTHONPATH``. Each
process warms up the extensive search (dateparser's one-time set-up) before timing, so the
numbers are the cost per page of a long batch; the cold start is measured apart
(``python -X importtime``, a fresh ``newsclean page.html``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_Stats = dict[str, Any]


def _timed(spent: list[float], fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
    return wrapper


def _counted(calls: list[int], fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return fn(*args, **kwargs)
    return wrapper


def measure(corpus_dir: Path) -> Iterator[dict[str, Any]]:
    """One record per page of the corpus: the day found, the truth, the stage's CPU ms,
    whether htmldate's searches ran, and the whole ``clean``'s CPU ms."""
    import newsclean
    from benchmarks.corpus import load_corpus
    from newsclean.page import dates, pipeline

    spent = [0.0]
    fast, extensive = [0], [0]
    for name in ("date_clues", "publication_date"):
        setattr(pipeline, name, _timed(spent, getattr(pipeline, name)))
    fast_name = "page_date" if hasattr(dates, "page_date") else "element_date"
    setattr(dates, fast_name, _counted(fast, getattr(dates, fast_name)))
    dates.search_date = _counted(extensive, dates.search_date)
    # Warm up both searches (imports, dateparser's set-up before the own patterns): the first
    # page that needs one would pay it otherwise.
    if fast_name == "page_date":
        warm: Callable[[str], Any] = getattr(dates, fast_name)
        warm("<html><head><meta name='date' content='2021-03-03'></head><body></body></html>")
    dates.search_date("<html><body><p>Posted on 3 March 2021.</p></body></html>")
    for doc in load_corpus(corpus_dir).docs:
        html = doc.html()
        spent[0], fast[0], extensive[0] = 0.0, 0, 0
        start = time.process_time()
        article = newsclean.clean(html, url=doc.url)
        total = time.process_time() - start
        yield {"id": doc.id, "truth": doc.date, "found": article.published,
               "stage_ms": spent[0] * 1000, "clean_ms": total * 1000,
               "fast": fast[0] > 0, "extensive": extensive[0] > 0}


def _run(tree: Path, corpus: Path) -> list[dict[str, Any]]:
    env = dict(os.environ, PYTHONPATH=str(tree.resolve()), PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, "--measure", str(corpus)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0


def summary(reps: list[list[dict[str, Any]]]) -> _Stats:
    """Accuracy over pages with a true date; costs as the median over repeats of each page's ms."""
    from benchmarks.metrics import date_match

    rows = reps[0]
    matched = [m for r in rows if (m := date_match(r["truth"], r["found"])) is not None]
    per_page = [statistics.median(r["stage_ms"] for r in page) for page in zip(*reps, strict=True)]
    whole = [statistics.median(r["clean_ms"] for r in page) for page in zip(*reps, strict=True)]
    return {
        "pages": len(rows),
        "dated": len(matched),
        "right": sum(matched),
        "mean_ms": statistics.fmean(per_page) if per_page else 0.0,
        "p95_ms": _p95(per_page),
        "fast": sum(r["fast"] for r in rows) / max(1, len(rows)),
        "extensive": sum(r["extensive"] for r in rows) / max(1, len(rows)),
        "clean_ms": statistics.fmean(whole) if whole else 0.0,
    }


def _accuracy(s: _Stats) -> str:
    return f"{s['right']}/{s['dated']} ({s['right'] / s['dated']:.1%})" if s["dated"] else "n/a"


def compare(before: Path, after: Path, corpora: list[Path], repeat: int) -> None:
    """Alternate the two trees over the corpora ``repeat`` times; print the tables."""
    from benchmarks.metrics import date_match

    runs: dict[tuple[str, str], list[list[dict[str, Any]]]] = {}
    for rep in range(repeat):
        for corpus in corpora:
            order = [("before", before), ("after", after)]
            for label, tree in order if rep % 2 == 0 else order[::-1]:
                runs.setdefault((corpus.name, label), []).append(_run(tree, corpus))
    print("| corpus | pages | accuracy before | accuracy after | stage ms before (mean / p95) "
          "| after (mean / p95) | mean ratio | fast before / after | extensive before / after "
          "| clean ms before / after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    changes: list[str] = []
    for corpus in corpora:
        stats = {}
        for label in ("before", "after"):
            stats[label] = summary(runs[(corpus.name, label)])
        b, a = stats["before"], stats["after"]
        ratio = b["mean_ms"] / a["mean_ms"] if a["mean_ms"] else float("inf")
        print(f"| {corpus.name} | {b['pages']} | {_accuracy(b)} | {_accuracy(a)} "
              f"| {b['mean_ms']:.2f} / {b['p95_ms']:.2f} | {a['mean_ms']:.2f} / {a['p95_ms']:.2f} "
              f"| {ratio:.1f}x | {b['fast']:.1%} / {a['fast']:.1%} "
              f"| {b['extensive']:.1%} / {a['extensive']:.1%} | {b['clean_ms']:.1f} / {a['clean_ms']:.1f} |")
        for old, new in zip(runs[(corpus.name, "before")][0], runs[(corpus.name, "after")][0], strict=True):
            was, now = date_match(old["truth"], old["found"]), date_match(new["truth"], new["found"])
            if (old["found"] or "")[:10] != (new["found"] or "")[:10]:
                verdict = {(True, False): "WORSE", (False, True): "better"}.get((bool(was), bool(now)),
                                                                                 "same")
                if was is None:
                    verdict = "no truth"
                changes.append(f"{corpus.name}/{old['id']}: {old['found']} -> {new['found']} "
                               f"(truth {old['truth']}): {verdict}")
    print("\nPages whose day changed:")
    print("\n".join(changes) or "none")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*",
                        help="corpus names or folders (default: the shared ones with dates)")
    parser.add_argument("--measure", help="one corpus, the tree on PYTHONPATH: JSON lines per page")
    parser.add_argument("--before", type=Path)
    parser.add_argument("--after", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    if args.measure:
        for record in measure(Path(args.measure)):
            print(json.dumps(record))
        return 0
    if not (args.before and args.after):
        parser.error("give --measure CORPUS, or --before TREE and --after TREE")
    from benchmarks.corpus import default_corpora_dir

    root = default_corpora_dir(__file__)
    names = args.corpora or ["trafilatura", "readability", "goose", "wcxb-dev"]
    corpora = [Path(n) if Path(n).is_dir() else root / n for n in names]
    compare(args.before, args.after, corpora, args.repeat)
    return 0


if __name__ == "__main__":
    sys.path.append(str(Path(__file__).resolve().parents[1]))  # benchmarks.*, when not on PYTHONPATH
    sys.exit(main())
