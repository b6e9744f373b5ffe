"""How much of a cleaning the report places on the page: ``newsclean explain``'s accuracy.

The report (:mod:`newsclean.report`) finds each kept block and each removal in the page's
text by searching for it; what it cannot find is listed apart ("Not found in the page").
This counts, over a corpus's pages, the kept blocks and removals it placed::

    python -m benchmarks.report_placement wcxb-dev [--limit 200]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import newsclean
from benchmarks.corpus import default_corpora_dir, load_corpus
from newsclean.report import layout

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default="wcxb-dev")
    parser.add_argument("--limit", type=int, default=200, help="the first N pages by id")
    args = parser.parse_args(argv)
    root = Path(args.corpus) if Path(args.corpus).is_dir() else default_corpora_dir(__file__) / args.corpus
    kept = kept_placed = removed = removed_placed = 0
    cpu = 0.0
    docs = load_corpus(root, limit=args.limit).headline_docs()
    for doc in docs:
        html = doc.html()
        article = newsclean.clean(html, doc.url)
        started = time.process_time()
        placed = layout(html, doc.url, article=article)
        cpu += time.process_time() - started
        missing_kept = sum(1 for status, _, _ in placed.unplaced if status == "kept")
        kept += len(article.blocks)
        kept_placed += len(article.blocks) - missing_kept
        removed += len(article.removed)
        removed_placed += len(article.removed) - (len(placed.unplaced) - missing_kept)
    print(f"{root.name}, {len(docs)} pages: {kept_placed:,} of {kept:,} kept blocks and "
          f"{removed_placed:,} of {removed:,} removals placed; "
          f"{1000 * cpu / max(len(docs), 1):.0f} ms CPU a page for the placing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
