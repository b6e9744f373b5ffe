"""``newsclean SOURCE...``: clean URLs, files or stdin and print the articles.

A SOURCE is an ``http(s)://`` URL, a file path, or ``-`` for stdin; ``-i FILE``
adds one URL per line (``#`` comments and blank lines skipped). With more than
one source, ``--format json`` prints JSON Lines and the other formats put a
``==> SOURCE <==`` line before each article. Local sources come first, then URLs
as they finish. A progress bar shows on stderr for more than one source when
stderr is a terminal (never with ``-q``).

Exit codes: 0 every source gave an article; 1 some did not (one line each on
stderr: the source and the reason); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from newsclean._version import __version__
from newsclean.article import Article
from newsclean.cli.options import add_cleaning_options, cleaning_options, positive_int
from newsclean.errors import FetchError, NewscleanError
from newsclean.options import FetchOptions, Options
from newsclean.page.pipeline import clean
from newsclean.rules import Rules
from newsclean.web.api import FetchFailure, fetch_many

__all__ = ["build_parser", "main"]

FORMATS = ("text", "markdown", "json", "html")
_URL = re.compile(r"^https?://", re.IGNORECASE)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean SOURCE...``."""
    parser = argparse.ArgumentParser(
        prog="newsclean",
        description="Turn news pages (URLs, files, or - for stdin) into the article and nothing else.",
        epilog="Many pages from JSONL, folders or WARC files: newsclean batch --help. "
        "Exit codes: 0 all ok, 1 some sources failed, 2 usage error.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="URL, file path, or - for stdin")
    parser.add_argument(
        "-i", "--input", metavar="FILE", help="read URLs from FILE, one per line (- for stdin)"
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="show what was removed and by which rule (stderr; inside the JSON for --format json)",
    )
    parser.add_argument(
        "--concurrency", type=positive_int, default=8, metavar="N", help="URLs fetched at once (default: 8)"
    )
    parser.add_argument("--user-agent", metavar="UA", help="User-Agent header to send")
    parser.add_argument("--no-robots", action="store_true", help="do not obey robots.txt")
    add_cleaning_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--version", action="version", version=f"newsclean {__version__}")
    return parser


@dataclass(frozen=True)
class _Result:
    source: str
    article: Article | None = None
    reason: str | None = None


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``newsclean SOURCE...``; returns the exit code (never raises for bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:  # --help, --version (0) and usage errors (2)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    try:
        return _run(args, parser)
    except NewscleanError as exc:
        print(f"newsclean: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except OSError as exc:  # e.g. the output disk is full
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    sources: list[str] = list(args.sources)
    if args.input:
        try:
            sources += list(_read_url_list(args.input))
        except OSError as exc:
            parser.print_usage(sys.stderr)
            print(f"newsclean: error: cannot read {args.input}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if not sources:
        parser.print_usage(sys.stderr)
        print("newsclean: error: give at least one SOURCE or -i FILE", file=sys.stderr)
        return 2
    if sources.count("-") > 1 or ("-" in sources and args.input == "-"):
        parser.print_usage(sys.stderr)
        print("newsclean: error: stdin (-) can be read only once", file=sys.stderr)
        return 2
    rules, clean_options = cleaning_options(args)
    fetch_options = FetchOptions(
        total_timeout=args.timeout,
        connect_timeout=min(10.0, args.timeout),
        read_timeout=min(20.0, args.timeout),
        concurrency=args.concurrency,
        user_agent=args.user_agent,
        respect_robots=not args.no_robots,
    )
    many = len(sources) > 1
    out: IO[str]
    try:
        out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    except OSError as exc:
        print(f"newsclean: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    failed = 0
    progress = tqdm(
        total=len(sources),
        file=sys.stderr,
        unit="page",
        disable=args.quiet or not many or not _is_tty(sys.stderr),
    )
    try:
        for result in _results(sources, rules, clean_options, fetch_options):
            progress.update(1)
            if result.article is None:
                failed += 1
                progress.clear()
                print(f"{result.source}: {_one_line(result.reason or 'failed')}", file=sys.stderr)
                continue
            _emit(out, result, args.format, many=many, explain=args.explain)
            progress.refresh()
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    return 1 if failed else 0


def _results(
    sources: list[str], rules: Rules | None, options: Options, fetch_options: FetchOptions
) -> Iterator[_Result]:
    urls = [s for s in sources if _URL.match(s)]
    for source in sources:
        if not _URL.match(source):
            yield _local(source, rules, options)
    if urls:
        for item in fetch_many(urls, rules=rules, options=options, fetch_options=fetch_options):
            if isinstance(item, FetchFailure):
                yield _Result(item.url, reason=_reason(item.error))
            else:
                fetched = item.diagnostics.fetch
                yield _checked(fetched.requested_url if fetched else item.url or "?", item)


def _local(source: str, rules: Rules | None, options: Options) -> _Result:
    try:
        if source == "-":
            stream = getattr(sys.stdin, "buffer", None)
            data: bytes | str = stream.read() if stream is not None else sys.stdin.read()
        else:
            data = Path(source).read_bytes()
    except FileNotFoundError:
        hint = "" if "://" not in source else " (only http:// and https:// URLs can be fetched)"
        return _Result(source, reason=f"no such file{hint}")
    except IsADirectoryError:
        return _Result(source, reason="is a directory (for folders use: newsclean batch)")
    except OSError as exc:
        return _Result(source, reason=f"cannot read: {exc.strerror or exc}")
    return _checked(source, clean(data, rules=rules, options=options))


def _checked(source: str, article: Article) -> _Result:
    if not article.text.strip():
        return _Result(source, reason=article.reason or "no article text found")
    return _Result(source, article=article)


def _reason(error: NewscleanError) -> str:
    message = str(error)
    if isinstance(error, FetchError) and message.startswith(error.url + ": "):
        message = message[len(error.url) + 2 :]
    return message


def _emit(out: IO[str], result: _Result, fmt: str, *, many: bool, explain: bool) -> None:
    article = result.article
    assert article is not None
    if fmt == "json":
        data: dict[str, Any] = {"source": result.source, **article.to_dict()}
        if not explain:
            data.pop("removed", None)
        if many:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    body = {"text": article.text, "markdown": article.markdown, "html": article.html}[fmt]
    if many:
        out.write(f"==> {result.source} <==\n")
    out.write(body.rstrip("\n") + "\n")
    if many:
        out.write("\n")
    if explain:
        out.flush()
        print(f"--- removed from {result.source}: {len(article.removed)}", file=sys.stderr)
        for removal in article.removed:
            print(f"[{removal.rule}] {removal.kind}: {_one_line(removal.text)}", file=sys.stderr)


def _read_url_list(path: str) -> Iterator[str]:
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
