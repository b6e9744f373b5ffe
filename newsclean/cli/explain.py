"""``newsclean explain SOURCE -o report.html``: a picture of what cleaning kept and removed.

SOURCE is a saved page (a file, ``.gz`` too) or ``-`` for stdin; ``--url`` tells its
address when the page does not (it decides which publisher packs apply). The report is one
self-contained HTML page (no network, no script): the page's text blocks in order, kept
text plain, each removal struck through in the colour of its rule's kind with the rule's id,
and a legend counting the removals per rule (:func:`newsclean.report.explain_html`).

Exit codes: 0 written; 2 usage error (an unreadable source, a bad rules file).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

from newsclean.cli.options import (
    add_cleaning_options,
    cleaning_options,
    overwrites_input,
    parse_args,
    write_whole,
)
from newsclean.errors import NewscleanError
from newsclean.page.pipeline import clean
from newsclean.report import explain_html

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean explain``."""
    parser = argparse.ArgumentParser(
        prog="newsclean explain",
        description="Write one HTML page showing what cleaning kept and what it removed, by which rule.",
        epilog="Exit codes: 0 written, 2 usage error.",
    )
    parser.add_argument("source", metavar="SOURCE",
                        help="a saved page (.html, optionally .gz), or - for stdin")
    parser.add_argument("-o", "--output", metavar="FILE", help="the report to write (default: stdout)")
    parser.add_argument("--url", help="the page's address, when the page does not name it")
    add_cleaning_options(parser)
    return parser


def main(argv: list[str]) -> int:
    """Run ``newsclean explain`` with ``argv`` (without the program name); the exit status."""
    args = parse_args(build_parser(), argv)
    if isinstance(args, int):
        return args
    if args.source.lower().startswith(("http://", "https://")):
        return _fail("explain reads a saved page: save it first (curl -o page.html URL), then "
                     "newsclean explain page.html --url URL")
    if args.output and overwrites_input(args.output, [args.source]) is not None:
        return _fail(f"the output {args.output} is the input {args.source}; it would be overwritten")
    try:
        rules, options = cleaning_options(args)
        page = _read(args.source)
    except NewscleanError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot read {args.source}: {exc.strerror or exc}")
    article = clean(page, args.url, rules=rules, options=options)
    report = explain_html(page, args.url, article=article, rules=rules)
    if not args.output:
        sys.stdout.write(report)
        return 0
    try:
        write_whole(args.output, report)
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    return 0


def _read(source: str) -> bytes:
    if source == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    data = Path(source).read_bytes()
    return gzip.decompress(data) if source.lower().endswith(".gz") else data


def _fail(message: str) -> int:
    print(f"newsclean explain: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
