"""Command line: ``python -m benchmarks run [CORPUS...]``, ``python -m benchmarks text CORPUS...``
and ``python -m benchmarks floors``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.corpus import (
    CORPORA_HELP,
    SAMPLE,
    Corpus,
    CorpusError,
    Doc,
    default_corpora_dir,
    load_corpus,
)
from benchmarks.evaluate import headline_metric, per_doc, score
from benchmarks.extractors import ADAPTERS, DEFAULT_EXTRACTORS, Output
from benchmarks.gate import load_floors, load_text_floors, text_gate_scores, write_floors
from benchmarks.report import corpus_table, docs_page, headline, put_speed_section, speed_table, write_corpus
from benchmarks.runner import CallResult, PageTask, rss_pass, timing_pass

REPO = Path(__file__).resolve().parents[1]


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its finished workers."""
    import resource

    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def _version(name: str) -> str:
    version = ADAPTERS[name].version()
    if name == "newsclean":
        return f"{_source_version(version)} {_build()}"
    return version


def _build() -> str:
    """Which newsclean build is timed: "compiled" (``pip install .`` where it can compile) or
    "interpreted" (a source tree, an editable install)."""
    import newsclean.page.native as native

    return "interpreted" if str(native.__file__).endswith(".py") else "compiled"


def _source_version(version: str) -> str:
    if version == "?":
        try:
            import newsclean

            version = str(getattr(newsclean, "__version__", "?"))
            src = str(Path(newsclean.__file__).parent)
            rev = subprocess.run(["git", "-C", src, "log", "-1", "--format=%h", "--", "."],
                                 capture_output=True, text=True, timeout=10).stdout.strip()  # fmt: skip
            if rev:
                version += f"+g{rev}"
        except Exception:
            pass
    return version


def _rss_sample(corpus: Corpus, n: int) -> list[Doc]:
    """The ``n`` // 4 largest pages plus an even spread over the rest, in id order."""
    docs = list(corpus.docs)
    if len(docs) <= n:
        return docs
    largest = sorted(docs, key=lambda d: d.path.stat().st_size, reverse=True)[: max(1, n // 4)]
    rest = [d for d in docs if d not in largest]
    if n <= len(largest):
        return sorted(largest, key=lambda d: d.id)
    step = len(rest) / (n - len(largest))
    spread = [rest[int(i * step)] for i in range(n - len(largest))]
    return sorted(set(largest) | set(spread), key=lambda d: d.id)


class _Progress:
    def __init__(self, total: int) -> None:
        self.total, self.t0, self.last = total, time.monotonic(), 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - self.last >= 15:
            self.last = now
            rate = done / max(now - self.t0, 1e-6)
            eta = (total - done) / rate if rate else 0
            _log(f"  {done}/{total} pages, {now - self.t0:.0f} s elapsed, ~{eta:.0f} s left")


def cmd_run(args: argparse.Namespace) -> int:
    t_start = time.monotonic()
    load_before = _load()
    try:
        corpora = [load_corpus(p, limit=args.limit) for p in args.corpora or [SAMPLE]]
    except CorpusError as exc:
        _log(f"error: {exc}")
        return 2
    names = [n.strip() for n in args.extractors.split(",") if n.strip()]
    unknown = [n for n in names if n not in ADAPTERS]
    if unknown:
        _log(f"error: unknown extractor(s) {', '.join(unknown)}; known: {', '.join(ADAPTERS)}")
        return 2
    jobs = max(1, args.jobs)
    versions = {n: _version(n) for n in names}  # now, before the code can change under a long run

    tasks: list[PageTask] = []
    where: dict[int, tuple[int, Doc]] = {}
    for ci, corpus in enumerate(corpora):
        for doc in corpus.docs:
            key = len(tasks)
            where[key] = (ci, doc)
            tasks.append(PageTask(key, str(doc.path), doc.url, tuple(names)))
    _log(f"timing/quality pass: {len(tasks)} pages x {len(names)} extractors, {jobs} worker(s)")
    results, failures = timing_pass(
        tasks, names, jobs=jobs, soft_limit=args.time_limit, hard_limit=2 * args.time_limit,
        progress=_Progress(len(tasks)),
    )  # fmt: skip
    for name, why in sorted(failures.items()):
        _log(f"  skipped {name}: {why}")
    ran = [n for n in names if n not in failures]

    rss: dict[str, Any] = {}
    if args.rss_pages > 0 and ran:
        sample = [(str(d.path), d.url) for c in corpora for d in _rss_sample(c, args.rss_pages)]
        _log(f"memory pass: {len(ran)} extractors, each in its own process, {len(sample)} pages")
        rss = rss_pass(ran, sample, jobs=jobs, soft_limit=args.time_limit)

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    summaries = []
    plot_files: list[Path] = []
    for ci, corpus in enumerate(corpora):
        docs = corpus.headline_docs()
        by_name: dict[str, dict[str, CallResult]] = {n: {} for n in ran}
        for (key, name), res in results.items():
            c, doc = where[key]
            if c == ci and name in by_name:
                by_name[name][doc.id] = res
        rows: dict[str, Any] = {}
        for name in ran:
            got = by_name[name]
            outputs = {i: r.output for i, r in got.items()}
            times = {i: r.ms for i, r in got.items() if r.ms is not None}
            errors = {i: r.error for i, r in got.items() if r.error}
            for doc in docs:  # a page the pass never reached is a failure, not a silent gap
                if doc.id not in got:
                    errors[doc.id] = "not run"
            meta = ADAPTERS[name].meta_fields
            row = score(
                docs, outputs, times, errors=errors, bootstrap_rounds=args.bootstrap, meta_fields=meta
            )
            row["version"] = versions[name]
            row["note"] = ADAPTERS[name].note
            r = rss.get(name)
            row["rss"] = {"peak_mb": r.peak_mb, "baseline_mb": r.baseline_mb, "error": r.error} if r else {}
            if corpus.has_synthetic:
                all_docs = corpus.docs
                full = score(all_docs, outputs, times, errors=errors, bootstrap_rounds=0, meta_fields=meta)
                row["all_pages"] = {"n": len(all_docs), "body": full["body"], "snippets": full["snippets"]}
            rows[name] = row
        summary = {
            "corpus": corpus.name,
            "root": str(corpus.root),
            "pages": len(corpus),
            "headline_pages": len(docs),
            "headline_metric": headline_metric(docs),
            "limit": args.limit,
            "extractors": rows,
            "skipped": {n: failures[n] for n in names if n in failures},
        }
        summaries.append(summary)
        with (out_dir / f"{corpus.name}.per_doc.jsonl").open("w", encoding="utf-8") as f:
            for name in ran:
                for doc in corpus.docs:
                    hit = by_name[name].get(doc.id)
                    out = hit.output if hit else Output("")
                    rec = per_doc(doc, out, hit.ms if hit else None, hit.error if hit else "not run")
                    rec = {"extractor": name, "synthetic": doc.synthetic, **rec}
                    f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        files = write_corpus(summary, out_dir)
        plot_files += [p for k, p in files.items() if k not in ("json", "md")]
        print(f"\n## {corpus.name} ({len(docs)} pages, {summary['headline_metric']})\n")
        print(corpus_table(summary))
        if "newsclean" in rows:
            print(f"\nnewsclean {summary['headline_metric']}: {headline(summary, 'newsclean')}")

    run = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "python": platform.python_version(),
        "jobs": jobs,
        "wall_s": time.monotonic() - t_start,
        "cpu_s": _cpu_seconds(),
        "load_before": load_before,
        "load_after": _load(),
        "command": "python -m benchmarks " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "extractors": {n: {"version": versions[n], "note": ADAPTERS[n].note} for n in ran},
    }
    (out_dir / "run.json").write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    if args.docs:
        page = docs_page(run, summaries, Path(args.docs), plot_files)
        _log(f"wrote {page}")
    _log(f"results in {out_dir}/ ({run['wall_s']:.0f} s)")
    return 0


def cmd_floors(args: argparse.Namespace) -> int:
    import newsclean

    clean = newsclean.clean
    root = Path(args.corpora) if args.corpora else default_corpora_dir(__file__)
    specs = load_floors()
    measured = {}
    from benchmarks.gate import GateSpec, gate_score, gate_score_from_rows

    for name, spec in specs.items():
        corpus_dir = root / name
        if not corpus_dir.is_dir():
            _log(f"{name}: {corpus_dir} not found, kept as is")
            measured[name] = spec
            continue
        t0 = time.monotonic()
        if args.from_results:
            per_doc_file = Path(args.from_results) / f"{name}.per_doc.jsonl"
            rows = {}
            with per_doc_file.open(encoding="utf-8") as f:
                for line in f:
                    rec = json.loads(line)
                    if rec["extractor"] == "newsclean":
                        rows[rec["id"]] = rec
            if not rows:
                _log(f"error: no newsclean rows in {per_doc_file}")
                return 2
            value, n = gate_score_from_rows(load_corpus(corpus_dir), spec, rows)
        else:
            value, n = gate_score(load_corpus(corpus_dir), spec, lambda h, u: clean(h, url=u).text)
        print(
            f"{name}: {spec.metric} {value:.4f} on {n} pages (floor {spec.floor}),"
            f" {time.monotonic() - t0:.0f} s"
        )
        measured[name] = GateSpec(name, spec.metric, spec.every, spec.floor, round(value, 4))
    text_measured = {}
    for name, text_spec in load_text_floors().items():
        if not (root / name).is_dir():
            _log(f"{name}: {root / name} not found, kept as is")
            text_measured[name] = text_spec
            continue
        t0 = time.monotonic()
        values, n = text_gate_scores(root / name, text_spec.every)
        for style, row in values.items():
            cells = ", ".join(f"{m} {v:.4f}" for m, v in row.items())
            print(f"{name} {style}: {cells} on {n} texts, {time.monotonic() - t0:.0f} s")
        text_measured[name] = replace(text_spec, measured=values)
    if args.write:
        write_floors(measured, margin=args.margin, text=text_measured)
        _log("wrote benchmarks/floors.json")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    results = Path(args.results)
    try:
        run = json.loads((results / "run.json").read_text(encoding="utf-8"))
        summaries = [json.loads((results / f"{n}.json").read_text(encoding="utf-8")) for n in args.corpora]
    except (OSError, ValueError) as exc:
        _log(f"error: cannot read the run in {results}: {exc}")
        return 2
    plots: list[Path] = []
    for summary in summaries:
        files = write_corpus(summary, results)
        plots += [p for k, p in files.items() if k not in ("json", "md")]
    _log(f"wrote {docs_page(run, summaries, Path(args.docs), plots)}")
    return 0


def cmd_speed(args: argparse.Namespace) -> int:
    """The speed table of a run (``--with newsclean,trafilatura``), beside an earlier run's."""
    try:
        after = [json.loads((Path(args.results) / f"{n}.json").read_text(encoding="utf-8"))
                 for n in args.corpora]
        before = [json.loads((Path(args.before) / f"{n}.json").read_text(encoding="utf-8"))
                  for n in args.corpora] if args.before else []
    except (OSError, ValueError) as exc:
        _log(f"error: cannot read the run: {exc}")
        return 2
    table = speed_table(after, before)
    print(table)
    if args.docs:
        put_speed_section(Path(args.docs), (Path(args.intro).read_text(encoding="utf-8") + "\n" if args.intro
                                            else "") + table)
        _log(f"wrote the speed section of {args.docs}")
    return 0


def cmd_text(args: argparse.Namespace) -> int:
    from benchmarks.textmode import is_text_corpus, report

    roots = [Path(p) for p in args.corpora]
    bad = [str(r) for r in roots if not is_text_corpus(r)]
    if bad:
        _log(f"error: not a text corpus (noisy.jsonl.gz and truth.jsonl): {', '.join(bad)}")
        return 2
    print(report(roots, folds=args.folds, against=Path(args.against) if args.against else None,
                 save_to=Path(args.save) if args.save else None, log=_log))
    return 0


def _doc_score(row: dict[str, Any]) -> float | None:
    """Per-page score for ``diff``: body shingle F1, else snippet F1 (TP / (TP + (FP + FN) / 2))."""
    for key in ("body", "snippets"):
        c = row.get(key)
        if c:
            denominator = 2 * c["tp"] + c["fp"] + c["fn"]
            return 2 * c["tp"] / denominator if denominator else 1.0
    return None


def cmd_diff(args: argparse.Namespace) -> int:
    path = Path(args.results) / f"{args.corpus}.per_doc.jsonl"
    if not path.is_file():
        _log(f"error: {path} not found; run `python -m benchmarks run` first")
        return 2
    rows: dict[str, dict[str, dict[str, Any]]] = {args.a: {}, args.b: {}}
    with path.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["extractor"] in rows and not rec.get("synthetic"):
                rows[rec["extractor"]][rec["id"]] = rec
    for name in (args.a, args.b):
        if not rows[name]:
            _log(f"error: no rows for {name} in {path}")
            return 2
    gaps = []
    for doc_id, ra in rows[args.a].items():
        rb = rows[args.b].get(doc_id)
        if rb is None:
            continue
        sa, sb = _doc_score(ra), _doc_score(rb)
        if sa is not None and sb is not None and sb > sa:
            gaps.append((sb - sa, doc_id, sa, sb, ra, rb))
    gaps.sort(key=lambda g: (-g[0], g[1]))
    print(
        f"{len(gaps)} pages of {len(rows[args.a])} where {args.b} scores higher than {args.a} ({path.name})"
    )
    for gap, doc_id, sa, sb, ra, rb in gaps[: args.n]:
        print(f"\n{doc_id}: {args.a} {sa:.3f} vs {args.b} {sb:.3f} (gap {gap:.3f})")
        print(f"  characters: {args.a} {ra['chars']}, {args.b} {rb['chars']}")
        for key, label in (("missing", "missing"), ("leaked", "leaked"), ("boilerplate", "boilerplate")):
            if ra.get(key):
                print(f"  {args.a} {label}: " + " | ".join(str(x)[:100] for x in ra[key][:5]))
        if ra.get("error"):
            print(f"  {args.a} error: {ra['error']}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        epilog=CORPORA_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser(
        "run",
        help="run extractors over corpora and write tables, JSON and plots",
        description="Run extractors over corpora and write tables, JSON and plots.",
        epilog=CORPORA_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "corpora",
        nargs="*",
        metavar="CORPUS",
        help="corpus folder(s) in the shared format (default: the bundled sample, benchmarks/sample)",
    )
    run.add_argument(
        "--extractors",
        default=",".join(DEFAULT_EXTRACTORS),
        help=f"comma-separated, from: {','.join(ADAPTERS)} (default: all)",
    )
    run.add_argument("--out", default=str(REPO / "benchmarks" / "results"), help="output folder")
    run.add_argument("--limit", type=int, default=None, help="first N pages (by id) of each corpus")
    run.add_argument(
        "--jobs",
        type=int,
        default=min(2, len(os.sched_getaffinity(0))),
        help="worker processes, one pinned core each (default: 2 if there are 2 cores)",
    )
    run.add_argument("--docs", default=None, help="also write this docs page, e.g. docs/benchmarks.md")
    run.add_argument("--time-limit", type=float, default=20.0, help="seconds per call before a timeout")
    run.add_argument(
        "--rss-pages", type=int, default=20, help="pages per corpus for the memory pass (0: skip)"
    )
    run.add_argument("--bootstrap", type=int, default=200, help="bootstrap resamples for standard errors")
    run.set_defaults(func=cmd_run)
    floors = sub.add_parser("floors", help="measure newsclean on the quality-gate subsets")
    floors.add_argument("--corpora", default=None,
                        help="folder holding trafilatura/, readability/, goose/ (and text-dev/)")
    floors.add_argument("--margin", type=float, default=0.01)
    floors.add_argument("--write", action="store_true", help="pin floors = measured - margin")
    floors.add_argument(
        "--from-results",
        default=None,
        help="score newsclean's rows of a run's --out folder instead of running it",
    )
    floors.set_defaults(func=cmd_floors)
    report = sub.add_parser("report", help="re-render tables, plots and the docs page from a run's results")
    report.add_argument("corpora", nargs="+", metavar="NAME", help="corpus names of the run, in page order")
    report.add_argument(
        "--results", default=str(REPO / "benchmarks" / "results"), help="the run's --out folder"
    )
    report.add_argument("--docs", default="docs/benchmarks.md", help="docs page to write")
    report.set_defaults(func=cmd_report)
    speed = sub.add_parser("speed", help="newsclean's speed against trafilatura's, from a run's results")
    speed.add_argument("corpora", nargs="+", metavar="NAME", help="corpus names of the run")
    speed.add_argument(
        "--results", default=str(REPO / "benchmarks" / "results"), help="the run's --out folder"
    )
    speed.add_argument("--before", default=None, help="an earlier run's --out folder, to compare with")
    speed.add_argument("--docs", default=None, help="write the table into this page's speed section")
    speed.add_argument("--intro", default=None, help="a Markdown file put above the table in the docs page")
    speed.set_defaults(func=cmd_speed)
    diff = sub.add_parser("diff", help="pages where one extractor beats another, from a run's per-page file")
    diff.add_argument("corpus", help="corpus name, e.g. trafilatura")
    diff.add_argument(
        "--results", default=str(REPO / "benchmarks" / "results"), help="the run's --out folder"
    )
    diff.add_argument("--a", default="newsclean", help="extractor under study (default newsclean)")
    diff.add_argument("--b", default="trafilatura", help="peer to compare with (default trafilatura)")
    diff.add_argument("-n", type=int, default=15, help="pages to show")
    diff.set_defaults(func=cmd_diff)
    text = sub.add_parser(
        "text",
        help="clean_text on leaked text: input vs output P/R/F1 per leak style",
        description="Score clean_text on text corpora (noisy.jsonl.gz + truth.jsonl, e.g. text-dev): "
        "per leak style and overall, the input's and the output's snippet and shingle P/R/F1.",
    )
    text.add_argument("corpora", nargs="+", metavar="CORPUS", help="text corpus folder(s)")
    text.add_argument("--folds", action="store_true", help="also score the two halves split by id hash")
    text.add_argument("--save", metavar="FILE", help="write clean_text's output per id (JSON Lines)")
    text.add_argument("--against", metavar="FILE", help="add a saved run (another version's) to the tables")
    text.set_defaults(func=cmd_text)
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
