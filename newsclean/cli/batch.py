"""``newsclean batch INPUT... -o OUTPUT``: clean JSON Lines, folders, WARC and WET files.

Run as ``newsclean batch`` or ``python -m newsclean.cli.batch``::

    newsclean batch crawl/*.warc.gz pages.jsonl html-folder/ -o out.jsonl.gz --workers 8
    newsclean batch crawl/*.warc.gz -o out.jsonl.gz --resume    # continue an interrupted run
    newsclean batch crawl/*.warc.gz -o out.jsonl.gz --learn-sites --learned-rules packs/
    newsclean batch crawl/*.warc.wet.gz -o out.jsonl.gz          # Common Crawl's text: clean_text

``--learn-sites`` learns each host's furniture from the run's own pages and cleans the
host's pages with it too (:mod:`newsclean.bulk.sitewise`); results then come per host.
``--learned-rules DIR`` writes each learned pack to ``DIR/<host>.toml`` as it is learned,
and uses the packs already there instead of learning again (so ``--resume`` goes on with them).

One output record per input document (an Article, or a failure record with ``error``).
OUTPUT is written as ``OUTPUT.partial`` and renamed when the run completes, so it is
whole or absent; it may never be one of the inputs (exit 2 before anything is opened).
Exit status: 0 when the run completed (failed documents are records, not errors),
2 for a bad input, output or rules file, 130 when interrupted (what was written stays
in ``OUTPUT.partial`` and ``--resume`` continues from there).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from typing import Any

from newsclean.bulk.pool import DEFAULT_CHUNK_SIZE, batch
from newsclean.bulk.records import Record
from newsclean.bulk.sinks import Sink, completed_ids, open_sink, partial_path
from newsclean.bulk.sitewise import SiteLearning, load_learned
from newsclean.bulk.sources import read_inputs
from newsclean.cli.options import add_cleaning_options, cleaning_options, overwrites_input, positive_int
from newsclean.errors import NewscleanError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean batch``."""
    parser = argparse.ArgumentParser(
        prog="newsclean batch",
        description="Clean many pages (JSON Lines, folders of .html, WARC and WET files) on all cores.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help=".jsonl/.jsonl.gz (an 'html' field, optional 'url' and 'id'), "
        "a folder of .html/.html.gz files, .warc/.warc.gz, or .wet/.wet.gz (text records: clean_text)",
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
    parser.add_argument(
        "--learn-sites", action="store_true",
        help="learn each host's furniture from the run's own pages and remove it too "
        "(results come per host)",
    )
    parser.add_argument(
        "--learned-rules", metavar="DIR",
        help="with --learn-sites: write each learned pack to DIR/<host>.toml, and use the packs "
        "already there",
    )
    parser.add_argument(
        "--learn-sample", type=positive_int, default=20, metavar="N",
        help="with --learn-sites: pages of a host to learn from (default: 20)",
    )
    add_cleaning_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    return parser


_LINE_ID = re.compile(r"^(.+):(\d+)$")


def _normal_id(record_id: str) -> str:
    """A ``<file>:<line>`` id with its path normalised, as the readers now write them
    (an older output may hold ``./pages.jsonl:3``); any other id as it is.

    >>> _normal_id("./crawl//pages.jsonl:3"), _normal_id("<urn:uuid:1>")
    ('crawl/pages.jsonl:3', '<urn:uuid:1>')
    """
    match = _LINE_ID.match(record_id)
    if match is None or match.group(1).startswith("<"):
        return record_id
    return f"{os.path.normpath(match.group(1)).replace(os.sep, '/')}:{match.group(2)}"


class _Skipper:
    """Drops the records whose id is already done, counting them."""

    def __init__(self, done: set[str]) -> None:
        self.done = done | {_normal_id(i) for i in done}
        self.skipped = 0

    def __call__(self, records: Iterator[Record]) -> Iterator[Record]:
        for record in records:
            if record.get("id") is not None and str(record["id"]) in self.done:
                self.skipped += 1
                continue
            yield record


def _check_output(args: argparse.Namespace) -> str | None:
    """Why OUTPUT cannot be written, or None."""
    clash = overwrites_input(args.output, list(args.inputs))
    if clash is not None:
        return f"the output {args.output} is the input {clash}; it would be overwritten"
    if os.path.isdir(args.output):
        return f"the output {args.output} is a folder"
    return None


def main(argv: list[str]) -> int:
    """Run ``newsclean batch`` with ``argv`` (without the program name); the exit status."""
    args = build_parser().parse_args(argv)
    problem = _check_output(args)
    if problem is None and not args.learn_sites and (args.learned_rules or args.learn_sample != 20):
        problem = "--learned-rules and --learn-sample go with --learn-sites"
    if problem is None and args.learn_sites and args.learn_sample < 2:
        problem = "--learn-sample must be at least 2"
    if problem is not None:
        print(f"newsclean batch: {problem}", file=sys.stderr)
        return 2
    try:
        records = read_inputs(args.inputs)  # also checks that warcio is there for WARC inputs
        rules, options = cleaning_options(args)  # a bad pack fails now, not once per document
        if args.learned_rules:
            load_learned(args.learned_rules)  # so do the packs learned before
        # what a killed run left is repaired before the sink opens it to append
        done = completed_ids(args.output) if args.resume else set()
        sink = open_sink(args.output, append=args.resume)  # pyarrow for Parquet is checked here
    except ImportError as exc:
        print(f"newsclean batch: {args.output}: needs {exc.name or exc}: pip install 'newsclean[parquet]'",
              file=sys.stderr)
        return 2
    except (NewscleanError, OSError) as exc:
        print(f"newsclean batch: {exc}", file=sys.stderr)
        return 2
    skipper = _Skipper(done)
    if done:
        records = skipper(records)
    status, processed, failed, elapsed = _run(args, records, rules, options, sink)
    if not args.quiet:
        skipped = f", {skipper.skipped} skipped (already in output)" if args.resume else ""
        where = args.output if status == 0 else partial_path(args.output)
        note = "; interrupted: rerun with --resume to continue" if status == 130 else ""
        print(
            f"newsclean batch: {processed} processed, {failed} failed{skipped}, "
            f"{processed / elapsed:.1f} docs/s in {elapsed:.1f} s -> {where}{note}",
            file=sys.stderr,
        )
    return status


def _run(
    args: argparse.Namespace, records: Iterator[Record], rules: Any, options: Any, sink: Sink
) -> tuple[int, int, int, float]:
    """Clean ``records`` into ``sink``: the exit status, the counts and the seconds taken.
    The output is complete (renamed into place) only when every record was written."""
    show_bar = not args.quiet and sys.stderr.isatty()
    processed = failed = 0
    started = time.monotonic()
    status = 0
    progress = None
    if show_bar:
        from tqdm import tqdm

        progress = tqdm(unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
    results: Iterator[Record] | None = None
    try:
        learning: bool | SiteLearning = False
        if args.learn_sites:
            learning = SiteLearning(sample=args.learn_sample, min_pages=min(3, args.learn_sample),
                                    max_held=max(1000, args.learn_sample), folder=args.learned_rules)
        results = batch(
            records,
            rules=rules,
            options=options,
            workers=args.workers,
            ordered=not args.unordered,
            chunk_size=args.chunk_size,
            learn_sites=learning,
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
        if status == 0 and sys.exc_info()[0] is None:
            sink.close()
        else:
            sink.abort()
    return status, processed, failed, max(time.monotonic() - started, 1e-9)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
