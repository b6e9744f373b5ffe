"""``newsclean batch INPUT... -o OUTPUT``: clean JSON Lines, folders and WARC files.

Run as ``newsclean batch`` or ``python -m newsclean.cli.batch``::

    newsclean batch crawl/*.warc.gz pages.jsonl html-folder/ -o out.jsonl.gz --workers 8
    newsclean batch crawl/*.warc.gz -o out.jsonl.gz --resume    # continue an interrupted run

One output record per input document (an Article, or a failure record with ``error``).
Exit status: 0 when the run completed (failed documents are records, not errors),
2 for a bad input, output or rules file, 130 when interrupted (what was written stays
and ``--resume`` continues from there).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator

from newsclean.bulk.pool import DEFAULT_CHUNK_SIZE, batch
from newsclean.bulk.records import Record
from newsclean.bulk.sinks import completed_ids, open_sink
from newsclean.bulk.sources import read_inputs
from newsclean.cli.options import add_cleaning_options, cleaning_options, positive_int
from newsclean.errors import NewscleanError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean batch``."""
    parser = argparse.ArgumentParser(
        prog="newsclean batch",
        description="Clean many pages (JSON Lines, folders of .html, WARC files) on all cores.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".jsonl/.jsonl.gz (an 'html' field, optional 'url' and 'id'), "
        "a folder of .html/.html.gz files, or .warc/.warc.gz",
    )
    parser.add_argument("-o", "--output", required=True, help="output: .jsonl, .jsonl.gz or .parquet")
    parser.add_argument(
        "--workers", type=positive_int, default=None, help="worker processes (default: the core count)"
    )
    parser.add_argument(
        "--unordered", action="store_true", help="write results as they finish, not in input order"
    )
    parser.add_argument("--resume", action="store_true", help="skip documents whose id is already in OUTPUT")
    parser.add_argument("--chunk-size", type=positive_int, default=DEFAULT_CHUNK_SIZE, help=argparse.SUPPRESS)
    add_cleaning_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    return parser


def _skip_done(records: Iterator[Record], done: set[str]) -> Iterator[Record]:
    for record in records:
        if record.get("id") is None or str(record["id"]) not in done:
            yield record


def main(argv: list[str]) -> int:
    """Run ``newsclean batch`` with ``argv`` (without the program name); the exit status."""
    args = build_parser().parse_args(argv)
    try:
        records = read_inputs(args.inputs)
        rules, options = cleaning_options(args)  # a bad pack fails now, not once per document
        done = completed_ids(args.output) if args.resume else set()
        sink = open_sink(args.output, append=args.resume)
    except (NewscleanError, OSError) as exc:
        print(f"newsclean batch: {exc}", file=sys.stderr)
        return 2
    if done:
        records = _skip_done(records, done)
    show_bar = not args.quiet and sys.stderr.isatty()
    processed = failed = 0
    started = time.monotonic()
    status = 0
    with sink:
        progress = None
        if show_bar:
            from tqdm import tqdm

            progress = tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
        results: Iterator[Record] | None = None
        try:
            results = batch(
                records,
                rules=rules,
                options=options,
                workers=args.workers,
                ordered=not args.unordered,
                chunk_size=args.chunk_size,
            )
            for result in results:
                sink.write(result)
                processed += 1
                if "error" in result:
                    failed += 1
                if progress is not None:
                    progress.update(1)
                    if "error" in result:
                        progress.set_postfix(failed=failed, refresh=False)
        except KeyboardInterrupt:
            status = 130
        except NewscleanError as exc:
            print(f"newsclean batch: {exc}", file=sys.stderr)
            status = 2
        finally:
            close = getattr(results, "close", None)
            if callable(close):
                close()  # stops the pool now, not when the generator is collected
            if progress is not None:
                progress.close()
    elapsed = max(time.monotonic() - started, 1e-9)
    if not args.quiet:
        skipped = f", {len(done)} skipped (already in output)" if done else ""
        note = "; interrupted: rerun with --resume to continue" if status == 130 else ""
        print(
            f"newsclean batch: {processed} processed, {failed} failed{skipped}, "
            f"{processed / elapsed:.1f} docs/s in {elapsed:.1f} s -> {args.output}{note}",
            file=sys.stderr,
        )
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
