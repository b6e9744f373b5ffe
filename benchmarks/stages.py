"""Where a page's time goes: CPU ms per stage of ``newsclean.clean``, per corpus.

Every stage function the pipeline calls (and, inside the body stage, pruning,
normalising, the native extractor, trafilatura and serialising) is wrapped in a timer
that counts its *own* time (a stage called inside another is charged to the inner one
only); what no wrapper covers is ``other``. One process, CPU time, after a warm-up::

    PYTHONPATH=. python -m benchmarks.stages trafilatura wcxb-dev --every 2

prints one Markdown table per corpus and one over all of them: stage, ms per page, share.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["Timers", "main"]


class Timers:
    """Exclusive CPU time per stage name: a stage inside another is charged to itself only.

    >>> timers = Timers()
    >>> outer = timers.wrap("outer", lambda: inner())
    >>> inner = timers.wrap("inner", lambda: sum(range(10)))
    >>> outer(), sorted(timers.spent)
    (45, ['inner', 'outer'])
    """

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self._stack: list[list[Any]] = []  # [name, started, time of the inner stages]

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn``, its own time charged to ``name``."""
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame: list[Any] = [name, time.process_time(), 0.0]
            self._stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self._stack.pop()
                total = time.process_time() - frame[1]
                self.spent[name] = self.spent.get(name, 0.0) + total - frame[2]
                if self._stack:
                    self._stack[-1][2] += total
        return timed


# (module, attribute, stage name): every call the pipeline makes that we time.
_STAGES = (
    ("newsclean.page.pipeline", "cap_bytes", "decode and sniff"),
    ("newsclean.page.pipeline", "sniff_binary", "decode and sniff"),
    ("newsclean.page.pipeline", "decode_html", "decode and sniff"),
    ("newsclean.page.pipeline", "decode_with_source", "decode and sniff"),
    ("newsclean.page.pipeline", "not_html", "decode and sniff"),
    ("newsclean.page.pipeline", "bound_markup", "bound (limits)"),
    ("newsclean.page.pipeline", "LexborHTMLParser", "parse"),
    ("newsclean.page.body", "LexborHTMLParser", "parse"),
    ("newsclean.page.pipeline", "read_metadata", "metadata"),
    ("newsclean.page.pipeline", "date_clues", "dates"),
    ("newsclean.page.pipeline", "publication_date", "dates"),
    ("newsclean.page.pipeline", "article_images", "images"),
    ("newsclean.page.pipeline", "page_signals", "kind"),
    ("newsclean.page.pipeline", "page_kind", "kind"),
    ("newsclean.page.pipeline", "apply_kind_rules", "kind"),
    ("newsclean.page.body", "prune", "prune"),
    ("newsclean.page.body", "safe_prune", "prune"),
    ("newsclean.page.body", "math_to_text", "normalise"),
    ("newsclean.page.body", "wrap_loose_text", "normalise"),
    ("newsclean.page.body", "cap_table_spans", "normalise"),
    ("newsclean.page.body", "extract_natively", "native extraction"),
    ("newsclean.page.body", "without_head", "serialise for trafilatura"),
    ("newsclean.page.body", "_extract", "trafilatura (fallback)"),
    ("newsclean.page.pipeline", "find_body", "body: serialise and other"),
    ("newsclean.page.pipeline", "strip_lead", "lead"),
    ("newsclean.page.pipeline", "with_standfirst", "lead"),
    ("newsclean.page.pipeline", "missing_standfirst", "lead"),
    ("newsclean.page.pipeline", "strip_title_repeats", "lead"),
    ("newsclean.page.pipeline", "apply_text_rules", "text rules"),
    ("newsclean.page.pipeline", "assemble", "assemble and render"),
    ("newsclean.page.pipeline", "clean", "other"),
)


def instrument() -> Timers:
    """Wrap the stages of the ``newsclean`` on ``sys.path``; the timers they charge. A compiled
    build (what ``pip install .`` makes where it can compile) calls its stages directly, past
    any wrapper: refused.

    >>> instrument().spent
    {}
    """
    import importlib

    timers = Timers()
    for module_name, attr, stage in _STAGES:
        module = importlib.import_module(module_name)
        if not str(getattr(module, "__file__", "")).endswith(".py"):
            raise SystemExit(f"{module_name} is compiled ({module.__file__}): its calls pass no wrapper, "
                             "so time the stages from a source tree or an editable install")
        if hasattr(module, attr):
            setattr(module, attr, timers.wrap(stage, getattr(module, attr)))
    return timers


def profile(corpus: Path, every: int, timers: Timers) -> tuple[int, dict[str, float]]:
    """Clean every ``every``-th page of ``corpus``; its page count and seconds per stage."""
    from benchmarks.corpus import load_corpus
    from newsclean.page import pipeline

    docs = load_corpus(corpus).docs[::every]
    timers.spent.clear()
    for doc in docs:
        pipeline.clean(doc.html(), url=doc.url)
    return len(docs), dict(timers.spent)


def table(pages: int, spent: dict[str, float]) -> str:
    """Markdown: stage, ms per page, share; slowest first.

    >>> print(table(2, {"parse": 0.002, "prune": 0.006}))
    | stage | ms/page | share |
    | --- | ---: | ---: |
    | prune | 3.00 | 75% |
    | parse | 1.00 | 25% |
    | **all** | **4.00** | |
    """
    total = sum(spent.values())
    rows = ["| stage | ms/page | share |", "| --- | ---: | ---: |"]
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        rows.append(f"| {name} | {seconds * 1000 / pages:.2f} | {seconds / total:.0%} |")
    rows.append(f"| **all** | **{total * 1000 / pages:.2f}** | |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", help="corpus names or folders (default: the four shared ones)")
    parser.add_argument("--every", type=int, default=1, help="take every N-th page")
    args = parser.parse_args(argv)
    from benchmarks.corpus import default_corpora_dir
    from benchmarks.runner import _WARMUP, _WARMUP_SHORT

    root = default_corpora_dir(__file__)
    names = args.corpora or ["trafilatura", "readability", "goose", "wcxb-dev"]
    timers = instrument()
    from newsclean.page import pipeline

    for page in (_WARMUP, _WARMUP_SHORT):  # lazy imports and one-time set-up, untimed
        pipeline.clean(page, url="http://example.com/warm-up")
    all_pages, all_spent = 0, dict[str, float]()
    for name in names:
        pages, spent = profile(Path(name) if Path(name).is_dir() else root / name, args.every, timers)
        print(f"\n### {name} ({pages} pages)\n\n{table(pages, spent)}")
        all_pages += pages
        for stage, seconds in spent.items():
            all_spent[stage] = all_spent.get(stage, 0.0) + seconds
    if len(names) > 1:
        print(f"\n### all ({all_pages} pages)\n\n{table(all_pages, all_spent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
