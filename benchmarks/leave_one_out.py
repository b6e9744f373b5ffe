"""Leave-one-out: rules learned from a host's other pages, applied to the held-out page.

For every page of a corpus whose host has other pages in it (wcxb-dev: the truth's
``domain``; the others: the URL's host, else the page's canonical link), the host's *other*
pages are learned from (:func:`newsclean.learn`) and the page is cleaned with
``Rules.default() + learned``; the baseline is the page cleaned with the shipped rules. Hosts
with exactly two pages learn nothing (one page is no evidence) and count unchanged, so the
table covers every page of every multi-page host. Scores: the project's scorer
(``benchmarks.evaluate.score``)::

    python -m benchmarks.leave_one_out trafilatura readability goose wcxb-dev [--json out.json]

CORPUS is a name under the shared corpora folder (``$NEWSCLEAN_CORPORA``, else
``shared/corpora`` beside the clone) or a path.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import newsclean
from benchmarks.corpus import Doc, default_corpora_dir, load_corpus
from benchmarks.evaluate import score
from benchmarks.extractors import Output, date_only
from newsclean.sites.learning import LearnedRules, Sample, learn, page_host

__all__ = ["host_groups", "main", "run_corpus", "table"]


def _output(article: newsclean.Article) -> Output:
    return Output(article.text or "", article.title, tuple(article.authors), date_only(article.published))


def host_groups(root: Path) -> dict[str, list[Doc]]:
    """The corpus's pages by host (the truth's ``domain`` when it has one), hosts of 2+ pages."""
    domains: dict[str, str] = {}
    with open(root / "truth.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if isinstance(record.get("domain"), str):
                domains[record["id"]] = record["domain"]
    groups: dict[str, list[Doc]] = defaultdict(list)
    for doc in load_corpus(root).headline_docs():
        host = domains.get(doc.id) or page_host(doc.html(), doc.url)
        if host:
            groups[host].append(doc)
    return {h: docs for h, docs in sorted(groups.items()) if len(docs) >= 2}


def run_corpus(root: Path) -> dict[str, Any]:
    """Before/after scores on every page of the corpus's multi-page hosts."""
    groups = host_groups(root)
    docs: list[Doc] = []
    before: dict[str, Output] = {}
    after: dict[str, Output] = {}
    rules_learned = pages_with_rules = 0
    learn_s = 0.0
    for host, pages in groups.items():
        samples: dict[str, Sample] = {}
        htmls = {doc.id: doc.html() for doc in pages}
        for doc in pages:
            article = newsclean.clean(htmls[doc.id], doc.url)
            before[doc.id] = _output(article)
            samples[doc.id] = Sample.of(htmls[doc.id], doc.url, article)
        for doc in pages:
            docs.append(doc)
            others = [samples[d.id] for d in pages if d.id != doc.id]
            learned: LearnedRules | None = None
            if len(others) >= 2:
                started = time.process_time()
                learned = learn(others, host)
                learn_s += time.process_time() - started
            if learned is None or not learned.pack.rules:
                after[doc.id] = before[doc.id]
                continue
            pages_with_rules += 1
            rules_learned += len(learned.pack.rules)
            article = newsclean.clean(htmls[doc.id], doc.url, rules=newsclean.Rules.default() + learned)
            after[doc.id] = _output(article)
    return {"corpus": root.name, "pages": len(docs), "hosts": len(groups),
            "pages_with_rules": pages_with_rules, "rules": rules_learned, "learn_s": round(learn_s, 1),
            "before": score(docs, before, {}, bootstrap_rounds=20),
            "after": score(docs, after, {}, bootstrap_rounds=20),
            "changed": sum(1 for d in docs if before[d.id].text != after[d.id].text)}


def _fmt(x: Any) -> str:
    return "–" if x is None else f"{x:.4f}" if isinstance(x, float) else str(x)


def _change(x: Any, y: Any) -> str:
    if x is None or y is None:
        return ""
    return f"{y - x:+.4f}" if isinstance(x, float) else f"{y - x:+d}"


def table(results: list[dict[str, Any]]) -> str:
    """One markdown table, a row per corpus: body and snippet precision/recall, before → after.

    >>> s = {"body": {"n": 1, "precision": 0.5, "recall": 0.5}, "snippets": {"n": 0}}
    >>> print(table([{"corpus": "x", "pages": 3, "hosts": 1, "pages_with_rules": 0, "rules": 0,
    ...               "changed": 0, "learn_s": 0.0, "before": s, "after": s}]).splitlines()[-1])
    | x | 3 (1) | 0 (0) | 0 | 0.5000 → 0.5000 (+0.0000) | 0.5000 → 0.5000 (+0.0000) | – | – |
    """
    lines = ["| corpus | pages (hosts) | pages with rules (rules) | texts changed | body P | body R | "
             "snippet P | snippet R |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        cells = []
        for part in ("body", "snippets"):
            for key in ("precision", "recall"):
                b, a = r["before"][part], r["after"][part]
                if not b["n"]:
                    cells.append("–")
                    continue
                cells.append(f"{_fmt(b[key])} → {_fmt(a[key])} ({_change(b[key], a[key])})")
        lines.append(f"| {r['corpus']} | {r['pages']} ({r['hosts']}) | {r['pages_with_rules']} "
                     f"({r['rules']}) | {r['changed']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpora", nargs="+", metavar="CORPUS")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON")
    args = parser.parse_args(argv)
    shared = default_corpora_dir(__file__)
    results = []
    for name in args.corpora:
        root = Path(name) if Path(name).is_dir() else shared / name
        started = time.perf_counter()
        results.append(run_corpus(root))
        print(f"{root.name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
