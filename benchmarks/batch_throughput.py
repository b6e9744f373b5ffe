"""Batch throughput and memory: ``newsclean batch`` on the evaluation corpora, or the bundled sample.

Prints three tables:

1. throughput (docs/s) with 1 and 2 workers on the same input, and the ratio
   (target on a 2-core machine: 2 workers >= 1.8x of 1);
2. peak RSS of the batch process and of its largest worker when the input grows
   tenfold (the corpora repeated; target: within 20%);
3. with ``--spark``: ``clean_column`` through ``mapInArrow`` against the pandas UDF
   variant, same rows, ``local[2]``.

Each run is a fresh ``python -m newsclean.cli.batch``-equivalent subprocess reading a
JSON Lines file, so reading, pickling, cleaning and writing are all counted.

The pages come from the trafilatura, readability and goose corpora (``--corpora``, else
``$NEWSCLEAN_CORPORA``, else ``../shared/corpora``; see ``python -m benchmarks --help`` for
where they come from) or, when there are none, from the sample bundled in
``benchmarks/sample/``, its 11 pages repeated to make up the counts.

Usage::

    PYTHONPATH=. python benchmarks/batch_throughput.py [--limit 300] [--memory-docs 100]
        [--corpora ../shared/corpora] [--spark]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "benchmarks" / "sample"
CORPORA = ("trafilatura", "readability", "goose")

# Runs the batch command in-process and reports elapsed time and peak RSS (KiB):
# RUSAGE_SELF is the reading/writing process, RUSAGE_CHILDREN the largest worker.
DRIVER = """
import json, resource, sys, time
from newsclean.cli.batch import main
started = time.perf_counter()
code = main(sys.argv[1:])
elapsed = time.perf_counter() - started
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
    "main_cpu": own.ru_utime + own.ru_stime,
    "code": code,
    "elapsed": elapsed,
    "self_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "worker_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""


def corpus_roots(given: str | None) -> tuple[list[Path], bool]:
    """The corpus folders to read, and whether they are the bundled sample (to be repeated)."""
    env = os.environ.get("NEWSCLEAN_CORPORA")
    path = Path(given or env or ROOT.parent / "shared" / "corpora")
    roots = [path / name for name in CORPORA if (path / name / "truth.jsonl").is_file()]
    if roots:
        return roots, False
    if given:
        sys.exit(f"no trafilatura, readability or goose corpus in {given}")
    print(f"no corpora at {path}: the bundled sample ({SAMPLE.relative_to(ROOT)}), its pages repeated")
    return [SAMPLE], True


def pages(roots: list[Path], limit: int, repeat: bool = False) -> list[tuple[str, str | None, bytes]]:
    """(id, url, html) round-robin over the corpora, so any prefix mixes them all; with
    ``repeat``, the pages again (ids made unique) until there are ``limit``."""
    out: list[tuple[str, str | None, bytes]] = []
    for rounds in range(1 if not repeat or limit <= 0 else limit):
        streams = [_corpus(root) for root in roots]
        while streams and (limit <= 0 or len(out) < limit):
            for stream in list(streams):
                item = next(stream, None)
                if item is None:
                    streams.remove(stream)
                elif limit <= 0 or len(out) < limit:
                    doc_id, url, html = item
                    out.append((f"{doc_id}@{rounds}" if rounds else doc_id, url, html))
        if limit <= 0 or len(out) >= limit:
            break
    return out


def _corpus(root: Path) -> Iterator[tuple[str, str | None, bytes]]:
    with open(root / "truth.jsonl", encoding="utf-8") as handle:
        for line in handle:
            truth = json.loads(line)
            data = gzip.decompress((root / "pages" / f"{truth['id']}.html.gz").read_bytes())
            yield f"{root.name}/{truth['id']}", truth["url"], data


def write_input(path: Path, docs: list[tuple[str, str | None, bytes]], repeat: int = 1) -> int:
    """JSON Lines of ``docs`` repeated ``repeat`` times (ids made unique); the count."""
    count = 0
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as handle:
        for copy in range(repeat):
            for doc_id, url, html in docs:
                text = html.decode("utf-8", "replace")
                handle.write(json.dumps({"id": f"{doc_id}#{copy}", "url": url, "html": text}))
                handle.write("\n")
                count += 1
    return count


def run_batch(input_path: Path, output: Path, workers: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    args = [str(input_path), "-o", str(output), "--workers", str(workers), "-q"]
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"batch failed:\n{proc.stderr}")
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    with gzip.open(output, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    result["records"] = len(records)
    result["failed"] = sum("error" in r for r in records)
    return result


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows]
    return "\n".join(lines)


def throughput(tmp: Path, docs: list[tuple[str, str | None, bytes]], rounds: int) -> None:
    """1 then 2 workers, alternated ``rounds`` times; each keeps its fastest round."""
    source = tmp / "throughput.jsonl.gz"
    n = write_input(source, docs)
    best: dict[int, dict[str, float]] = {}
    for _ in range(rounds):
        for workers in (1, 2):
            result = run_batch(source, tmp / f"out-{workers}.jsonl.gz", workers)
            assert result["records"] == n, result
            if workers not in best or result["elapsed"] < best[workers]["elapsed"]:
                best[workers] = result
    rates = {w: n / r["elapsed"] for w, r in best.items()}
    rows = [
        [
            str(workers),
            str(n),
            f"{int(result['failed'])}",
            f"{result['elapsed']:.1f}",
            f"{result['cpu']:.1f}",
            f"{result['main_cpu']:.1f}",
            f"{rates[workers]:.1f}",
            f"{rates[workers] / rates[1]:.2f}x",
        ]
        for workers, result in best.items()
    ]
    print(f"\nThroughput on {n} pages (os.cpu_count() = {os.cpu_count()}), best of {rounds}:\n")
    print(
        table(
            ["workers", "docs", "failed", "seconds", "CPU s", "main CPU s", "docs/s", "vs 1 worker"],
            rows,
        )
    )


def reading(tmp: Path, docs: list[tuple[str, str | None, bytes]]) -> None:
    """How fast warcio reads a WARC of the same pages: the share of reading in the total."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from newsclean.bulk.sources import read_warc

    path = tmp / "reading.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for _, url, html in docs:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url if url and url.startswith("http") else "https://example.invalid/",
                "response",
                payload=io.BytesIO(html),
                http_headers=headers,
            )
            writer.write_record(record)
    started = time.perf_counter()
    count = size = 0
    for record in read_warc(path):
        count += 1
        size += len(record["html"])
    elapsed = time.perf_counter() - started
    print(f"\nReading a WARC with warcio (one core), {count} pages:\n")
    print(
        table(
            ["pages", "MiB (raw)", "seconds", "pages/s", "MiB/s"],
            [
                [
                    str(count),
                    f"{size / 2**20:.0f}",
                    f"{elapsed:.2f}",
                    f"{count / elapsed:.0f}",
                    f"{size / 2**20 / elapsed:.0f}",
                ]
            ],
        )
    )


def memory(tmp: Path, docs: list[tuple[str, str | None, bytes]]) -> None:
    rows, base = [], None
    for repeat in (1, 10):
        source = tmp / f"memory-{repeat}.jsonl.gz"
        n = write_input(source, docs, repeat)
        result = run_batch(source, tmp / f"memory-out-{repeat}.jsonl.gz", 2)
        assert result["records"] == n, result
        main_mib, worker_mib = result["self_kib"] / 1024, result["worker_kib"] / 1024
        total = main_mib + 2 * worker_mib
        base = base or total
        rows.append(
            [
                f"x{repeat}",
                str(n),
                f"{source.stat().st_size / 2**20:.0f}",
                f"{main_mib:.0f}",
                f"{worker_mib:.0f}",
                f"{total:.0f}",
                f"{100 * (total / base - 1):+.0f}%",
            ]
        )
    print("\nPeak RSS with 2 workers as the input grows tenfold:\n")
    print(
        table(
            ["input", "docs", "input MiB (gz)", "main MiB", "worker MiB", "total MiB", "vs x1"],
            rows,
        )
    )


def clean_column_pandas(
    df: DataFrame,
    html_column: str = "html",
    *,
    url_column: str | None = None,
    charset_column: str | None = None,
    output: str = "article",
) -> DataFrame:
    """:func:`newsclean.bulk.spark.clean_column` through a pandas UDF instead of ``mapInArrow``,
    for this comparison only: every struct goes Arrow -> pandas -> Arrow."""
    import pandas as pd
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.functions import pandas_udf

    from newsclean.bulk.pool import clean_record
    from newsclean.bulk.spark import _clean_rows, article_arrow_type, article_struct

    columns = [f.name for f in article_arrow_type()]

    def clean_series(htmls: Any, urls: Any, charsets: Any) -> Any:
        rows = _clean_rows(list(htmls), list(urls), list(charsets), clean_record)
        return pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)

    # Spark reads the UDF kind from real (not postponed) annotations.
    clean_series.__annotations__ = {
        "htmls": pd.Series,
        "urls": pd.Series,
        "charsets": pd.Series,
        "return": pd.DataFrame,
    }
    clean_udf = pandas_udf(clean_series, article_struct())  # type: ignore[call-overload]

    url, charset = (
        F.col(name) if name else F.lit(None).cast("string") for name in (url_column, charset_column)
    )
    return df.withColumn(output, clean_udf(F.col(html_column), url, charset))


def spark(docs: list[tuple[str, str | None, bytes]], rounds: int = 2) -> None:
    from pyspark.sql import SparkSession

    from newsclean.bulk.spark import clean_column

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    df = session.createDataFrame(
        [(i, u, h) for i, u, h in docs], "id string, url string, html binary"
    ).repartition(4)
    df = df.cache()
    df.count()
    # a warm-up so that neither variant pays for starting the Python workers, then
    # alternate the two variants and keep each one's best round
    for warm in (clean_column, clean_column_pandas):
        warm(df, url_column="url").select("article.word_count").collect()
    best: dict[str, float] = {}
    count = 0
    variants = (("mapInArrow", clean_column), ("pandas UDF", clean_column_pandas))
    for _ in range(rounds):
        for name, func in variants:
            started = time.perf_counter()
            out = func(df, url_column="url").select("id", "article.word_count", "article.error")
            count = len(out.collect())
            elapsed = time.perf_counter() - started
            best[name] = min(best.get(name, elapsed), elapsed)
    rates = {name: count / seconds for name, seconds in best.items()}
    rows = [[name, str(count), f"{best[name]:.1f}", f"{rates[name]:.1f}"] for name in best]
    session.stop()
    for row in rows:
        row.append(f"{rates[row[0]] / rates['mapInArrow']:.2f}x")
    print(f"\nSpark local[2], {len(docs)} pages, struct column of Article fields, best of {rounds}:\n")
    print(table(["method", "docs", "seconds", "docs/s", "vs mapInArrow"], rows))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpora", help="folder holding the trafilatura, readability and goose corpora (default: see above)"
    )
    parser.add_argument("--limit", type=int, default=300, help="pages for throughput (0 = all)")
    parser.add_argument("--memory-docs", type=int, default=100, help="pages repeated x1 and x10 for RSS")
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds, best kept")
    parser.add_argument("--spark", action="store_true", help="also compare Spark variants")
    parser.add_argument("--skip-pool", action="store_true", help="only the Spark table")
    args = parser.parse_args()
    roots, repeat = corpus_roots(args.corpora)
    load = os.getloadavg()[0]
    print(f"load average before the run: {load:.2f} (other work on the machine skews ratios)")
    cores = os.cpu_count() or 1
    autogroup = Path("/proc/sys/kernel/sched_autogroup_enabled")
    if load > cores and autogroup.exists() and autogroup.read_text().strip() == "1":
        print(
            "note: the kernel shares CPU between sessions (sched_autogroup), and other "
            "sessions are busy: this run gets one session's share however many workers "
            "it starts, so '2 workers vs 1' measures the share, not the pool. Compare the "
            "CPU s columns, or run on an idle machine."
        )
    with tempfile.TemporaryDirectory(prefix="newsclean-bench-") as tmp:
        if not args.skip_pool:
            throughput(Path(tmp), pages(roots, args.limit, repeat), args.rounds)
            reading(Path(tmp), pages(roots, args.limit, repeat))
            memory(Path(tmp), pages(roots, args.memory_docs, repeat))
        if args.spark:
            spark(pages(roots, args.limit, repeat), args.rounds)


if __name__ == "__main__":
    main()
