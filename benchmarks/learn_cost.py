"""The cost of ``newsclean batch --learn-sites`` against a plain run of the same input.

The corpus pages are written once to a JSON Lines file (with their URLs; wcxb-dev's pages
in corpus order, so its hosts' pages are spread through the input as a crawl's would be),
then ``newsclean batch`` runs on it as a fresh process, alternating plain and
``--learn-sites`` runs (plain, learn, plain, learn...), so that drift in the machine's load
hits both alike. Each run reports docs/s (wall clock) and the CPU seconds of the batch and
its workers; the ratio is learn over the mean of the plain runs either side. The outputs are
scored too (body precision/recall on all pages). Last, in one process and without a pool,
the pages of hosts with three pages or more (the ones learned from) are cleaned plainly and
with learning, to show what a held page costs::

    python -m benchmarks.learn_cost wcxb-dev [--rounds 2] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.corpus import default_corpora_dir, load_corpus
from benchmarks.evaluate import score
from benchmarks.extractors import Output, date_only
from newsclean import Options, clean
from newsclean.bulk.sitewise import SiteLearning, learn_sites
from newsclean.sites.learning import page_host

__all__ = ["held_cost", "main", "ratios"]

REPO = Path(__file__).resolve().parents[1]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(source: Path, output: Path, workers: int, learn: bool) -> tuple[float, float, dict[str, Output]]:
    """Wall seconds, CPU seconds and the outputs of one ``newsclean batch`` process."""
    command = [sys.executable, "-m", "newsclean.cli.batch", str(source), "-o", str(output), "-q",
               "--workers", str(workers)]
    if learn:
        command.append("--learn-sites")
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(command, check=True, env=env)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    outputs: dict[str, Output] = {}
    with open(output, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "error" not in record:
                authors = tuple(record.get("authors") or ())
                outputs[record["id"]] = Output(record.get("text") or "", record.get("title"), authors,
                                               date_only(record.get("published")))
    output.unlink()
    return wall, cpu, outputs


def ratios(runs: list[tuple[str, float]]) -> list[float]:
    """For each learn run, its value over the mean of the plain runs either side of it.

    >>> ratios([("plain", 10.0), ("learn", 12.0), ("plain", 14.0)])
    [1.0]
    """
    out = []
    for i, (kind, value) in enumerate(runs):
        if kind != "learn":
            continue
        near = [v for k, v in runs[max(i - 1, 0): i + 2] if k == "plain"]
        if near:
            out.append(value / (sum(near) / len(near)))
    return out


def held_cost(records: list[dict[str, Any]]) -> tuple[int, float, float]:
    """Pages of hosts with three or more, and the CPU seconds of cleaning them plainly (the
    mean of two passes) and with learning, in this process."""
    hosts: dict[str, int] = {}
    for record in records:
        host = page_host(record["html"], record["url"])
        hosts[host] = hosts.get(host, 0) + 1
    held = [r for r in records if hosts[page_host(r["html"], r["url"])] >= 3]
    options = Options(timeout=None)

    def plain() -> float:
        started = time.process_time()
        for record in held:
            clean(record["html"], record["url"], options=options)
        return time.process_time() - started

    first = plain()
    started = time.process_time()
    for _ in learn_sites(held, SiteLearning(), workers=1, options=options):
        pass
    learning = time.process_time() - started
    return len(held), (first + plain()) / 2, learning


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("corpus", nargs="?", default="wcxb-dev")
    parser.add_argument("--rounds", type=int, default=2, help="learn runs (each between two plain runs)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    root = Path(args.corpus) if Path(args.corpus).is_dir() else default_corpora_dir(__file__) / args.corpus
    corpus = load_corpus(root)
    docs = corpus.headline_docs()
    rows: list[tuple[str, float, float, dict[str, Any]]] = []
    records = [{"id": doc.id, "url": doc.url, "html": doc.html().decode("utf-8", "replace")} for doc in docs]
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "pages.jsonl", Path(folder) / "out.jsonl"
        with open(source, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record) + "\n")
        kinds = ["plain"] + ["learn", "plain"] * args.rounds
        for kind in kinds:
            wall, cpu, outputs = _run(source, output, args.workers, kind == "learn")
            scores = score(docs, outputs, {}, bootstrap_rounds=1)
            rows.append((kind, wall, cpu, scores))
            print(f"{kind}: {len(docs) / wall:.1f} docs/s, {cpu:.0f} CPU s", file=sys.stderr, flush=True)
    n = len(docs)
    print(f"{corpus.name}: {n} pages, `newsclean batch --workers {args.workers}`, runs in this order\n")
    print("| run | docs/s | CPU s | body P | body R | snippet P | snippet R |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind, wall, cpu, s in rows:
        body, snip = s["body"], s["snippets"]
        cells = [body.get("precision"), body.get("recall"), snip.get("precision"), snip.get("recall")]
        print(f"| {kind} | {n / wall:.1f} | {cpu:.0f} | " + " | ".join(f"{c or 0:.4f}" for c in cells) + " |")
    speed = ratios([(k, n / w) for k, w, _, _ in rows])
    cpu_ratio = ratios([(k, c) for k, _, c, _ in rows])
    print(f"\n--learn-sites / plain: docs/s {', '.join(f'{r:.2f}x' for r in speed)}; "
          f"CPU seconds {', '.join(f'{r:.2f}x' for r in cpu_ratio)}")
    pages, plain, learning = held_cost(records)
    print(f"pages of hosts with 3+ pages, in one process: {pages} pages, plain {plain:.1f} CPU s, "
          f"learning {learning:.1f} CPU s ({learning / plain:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
