"""``newsclean learn PAGE... -o PACK.toml``: learn a site's furniture from its pages.

A PAGE is an HTML file (``.gz`` too), or an input ``newsclean batch`` reads: a JSON Lines
file, a folder of HTML files or a WARC file. The pages must be of one site: ``--host``
names it, else the most common host of the pages' URLs or canonical links does; pages that
name another host are left out (and counted). At least two pages are needed. The pack is
written to PACK (whole or not at all; never over an input) as an ordinary rule pack with
``learned = true``: load it with ``--rules PACK`` or :meth:`newsclean.Rules.load`.

Exit codes: 0 the pack was written (it may hold no rule: nothing recurs); 2 usage error
(fewer than two pages, no host, an unreadable input, a bad rules file).
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from newsclean.bulk.sources import input_kind, read_inputs
from newsclean.cli.options import (
    add_cleaning_options,
    cleaning_options,
    overwrites_input,
    parse_args,
    write_whole,
)
from newsclean.errors import InputError, NewscleanError
from newsclean.sites.learning import host_of, learn, page_host

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean learn``."""
    parser = argparse.ArgumentParser(
        prog="newsclean learn",
        description="Learn a site's furniture (the blocks that recur across its pages and are not "
        "article text) and write it as a rule pack.",
        epilog="Exit codes: 0 pack written, 2 usage error.",
    )
    parser.add_argument(
        "pages", nargs="+", metavar="PAGE",
        help="an HTML file (.html, .htm, optionally .gz), or a .jsonl[.gz], .warc[.gz] or folder of pages",
    )
    parser.add_argument("--host", help="the site (default: the most common host of the pages' URLs or "
                        "canonical links)")
    parser.add_argument("-o", "--output", required=True, metavar="PACK",
                        help="the rule pack to write (.toml)")
    add_cleaning_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    return parser


def _pages(paths: list[str]) -> Iterator[tuple[str, str | bytes, str | None]]:
    """``(id, html, url)`` of every page the inputs hold, in order; raises InputError."""
    for path in paths:
        try:
            kind = input_kind(path)
        except InputError:
            kind = None
        if kind is None:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror or exc}", source=path) from None
            if path.lower().endswith(".gz"):
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError) as exc:
                    raise InputError(f"not a readable .gz file: {exc}", source=path) from None
            yield path, data, None
            continue
        for record in read_inputs([path]):
            html = record.get("html")
            if isinstance(html, str | bytes):
                url = record.get("url")
                yield str(record.get("id")), html, url if isinstance(url, str) else None


def main(argv: list[str]) -> int:
    """Run ``newsclean learn`` with ``argv`` (without the program name); the exit status."""
    args = parse_args(build_parser(), argv)
    if isinstance(args, int):
        return args
    clash = overwrites_input(args.output, list(args.pages))
    if clash is not None:
        return _fail(f"the output {args.output} is the input {clash}; it would be overwritten")
    try:
        rules, options = cleaning_options(args)
        pages = list(_pages(args.pages))
    except (NewscleanError, OSError) as exc:
        return _fail(str(exc))
    hosts = Counter(host for _, html, url in pages for host in [page_host(html, url)] if host)
    host = host_of(f"//{args.host.strip()}") if args.host else (hosts.most_common(1)[0][0] if hosts else "")
    if not host:
        return _fail("no page names its site (no URL, no canonical link): give --host")
    mine = [(html, url) for _, html, url in pages if page_host(html, url) in ("", host)]
    others = len(pages) - len(mine)
    if len(mine) < 2:
        return _fail(f"learning needs at least 2 pages of {host}, got {len(mine)}"
                     + (f" ({others} of other sites left out)" if others else ""))
    learned = learn(mine, host, rules=rules, options=options)
    try:
        write_whole(args.output, learned.to_toml())
    except OSError as exc:
        return _fail(f"cannot write {args.output}: {exc.strerror or exc}")
    if not args.quiet:
        left_out = f"; {others} pages of other sites left out" if others else ""
        print(f"newsclean learn: {len(learned.pack.rules)} rules for {host} from {learned.pages} pages "
              f"({learned.distinct} distinct){left_out} -> {args.output}", file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"newsclean learn: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
