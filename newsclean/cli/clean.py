"""``newsclean SOURCE...``: clean URLs, files or stdin and print the articles.

A SOURCE is an ``http(s)://`` URL, a file path, or ``-`` for stdin. A ``.txt`` file is text
another tool extracted (or a page's visible text), cleaned with ``clean_text``; anything else is
a page. ``-i FILE`` adds
one URL per line and reads nothing else: a line that is not an ``http(s)`` URL is a
failed source, never a file to open (a list from someone else cannot make the command
read local files); ``--files-from FILE`` adds one local file path per line. In both,
``#`` comments and blank lines are skipped. With more than one source, ``--format
json`` prints JSON Lines and the other formats put a ``==> SOURCE <==`` line before
each article. Results come in the order of the sources (``--unordered``: local
sources first, then URLs as they finish). A progress bar shows on stderr for more
than one source when stderr is a terminal (never with ``-q``).

A source that gives no article is reported on stderr (the source and the reason) and,
with ``--format json``, also written to the output as ``{"source", "error"}``. ``-o
FILE`` is written as ``FILE.partial`` and renamed when done; it may not be one of the
inputs (exit 2 before anything is opened).

Exit codes: 0 every source gave an article; 1 some did not; 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from newsclean._version import __version__
from newsclean.article import Article
from newsclean.cli.options import add_cleaning_options, cleaning_options, overwrites_input, positive_int
from newsclean.errors import FetchError, NewscleanError
from newsclean.options import FetchOptions, Options
from newsclean.page.pipeline import clean, clean_text
from newsclean.page.strings import scrub
from newsclean.rules import Rules
from newsclean.web.api import FetchFailure, fetch_many

__all__ = ["build_parser", "main"]

FORMATS = ("text", "markdown", "json", "html")
_URL = re.compile(r"^https?://", re.IGNORECASE)
_TEXT_SUFFIXES = (".txt",)  # files of extracted text, cleaned with clean_text


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``newsclean SOURCE...``."""
    parser = argparse.ArgumentParser(
        prog="newsclean",
        description="Turn news pages (URLs, files, or - for stdin) into the article and nothing else.",
        epilog="Many pages from JSONL, folders or WARC files: newsclean batch --help. A site's rules "
        "learned from its pages: newsclean learn --help. A picture of a cleaning: newsclean explain --help. "
        "A new rule pack: newsclean rules new --help. "
        "Exit codes: 0 all ok, 1 some sources failed, 2 usage error.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE",
                        help="URL, file path (.txt: extracted text, cleaned with clean_text), or - for stdin")
    parser.add_argument(
        "-i", "--input", metavar="FILE",
        help="read URLs from FILE, one per line (- for stdin); a line that is not an http(s) URL fails",
    )
    parser.add_argument(
        "--files-from", metavar="FILE", help="read local file paths from FILE, one per line (- for stdin)"
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
    parser.add_argument(
        "--unordered", action="store_true", help="local sources first, then URLs as they finish"
    )
    add_cleaning_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--version", action="version", version=f"newsclean {__version__}")
    return parser


@dataclass(frozen=True)
class _Source:
    """One thing to clean: a ``url``, a ``file``, ``stdin``, or a ``bad`` line of ``-i``."""

    kind: str
    value: str
    reason: str | None = None


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


def _usage(parser: argparse.ArgumentParser, message: str) -> int:
    parser.print_usage(sys.stderr)
    print(f"newsclean: error: {message}", file=sys.stderr)
    return 2


def _sources(args: argparse.Namespace) -> list[_Source]:
    """Every source, in order: the positional ones, then ``-i``'s URLs, then ``--files-from``'s files."""
    sources = [_positional(s) for s in args.sources]
    if args.input:
        for line in _read_list(args.input):
            if _URL.match(line):
                sources.append(_Source("url", line))
            else:
                sources.append(_Source("bad", line, "not an http(s) URL (-i reads URLs only; "
                                                    "list local files with --files-from)"))
    if args.files_from:
        sources += [_Source("file", line) for line in _read_list(args.files_from)]
    return sources


def _positional(source: str) -> _Source:
    if source == "-":
        return _Source("stdin", source)
    if _URL.match(source.strip()):
        return _Source("url", source.strip())
    return _Source("file", source)


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.input and args.input == args.files_from:
        return _usage(parser, "-i and --files-from name the same list")
    try:
        sources = _sources(args)
    except OSError as exc:
        return _usage(parser, f"cannot read {exc.filename or 'a list'}: {exc.strerror or exc}")
    if not sources:
        return _usage(parser, "give at least one SOURCE, -i FILE or --files-from FILE")
    reads_stdin = sum(s.kind == "stdin" for s in sources) + (args.input == "-") + (args.files_from == "-")
    if reads_stdin > 1:
        return _usage(parser, "stdin (-) can be read only once")
    if args.output:
        inputs = [s.value for s in sources if s.kind == "file"]
        inputs += [p for p in (args.input, args.files_from) if p]
        clash = overwrites_input(args.output, inputs)
        if clash is not None:
            return _usage(parser, f"the output {args.output} is the input {clash}; it would be overwritten")
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
    partial = f"{args.output}.partial" if args.output else None
    try:
        out = open(partial, "w", encoding="utf-8") if partial else sys.stdout  # noqa: SIM115
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
    complete = False
    try:
        for result in _results(sources, rules, clean_options, fetch_options, ordered=not args.unordered):
            progress.update(1)
            if result.article is None:
                failed += 1
                progress.clear()
                print(f"{_shown(result.source)}: {_one_line(result.reason or 'failed')}", file=sys.stderr)
                if args.format == "json":
                    _emit_failure(out, result, many=many)
                continue
            _emit(out, result, args.format, many=many, explain=args.explain)
            progress.refresh()
        complete = True
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
            if complete and partial and args.output:
                os.replace(partial, args.output)
            elif partial:
                print(f"newsclean: output so far left in {partial}", file=sys.stderr)
        else:
            out.flush()
    return 1 if failed else 0


def _results(
    sources: list[_Source],
    rules: Rules | None,
    options: Options,
    fetch_options: FetchOptions,
    *,
    ordered: bool,
) -> Iterator[_Result]:
    """One result per source: in the order of ``sources``, or (not ``ordered``) the local
    ones first and then the URLs as they finish."""
    urls = [s.value for s in sources if s.kind == "url"]
    fetched = (_fetched(item) for item in fetch_many(urls, rules=rules, options=options,
                                                     fetch_options=fetch_options)) if urls else iter(())
    if not ordered:
        for source in sources:
            if source.kind != "url":
                yield _one(source, rules, options)
        yield from fetched
        return
    waiting: dict[str, deque[_Result]] = {}
    for source in sources:
        if source.kind != "url":
            yield _one(source, rules, options)
            continue
        queue = waiting.setdefault(source.value, deque())
        while not queue:
            result = next(fetched, None)
            if result is None:  # every URL ends as one result; never wait for a missing one
                queue.append(_Result(source.value, reason="no result from the fetcher"))
                break
            waiting.setdefault(result.source, deque()).append(result)
        yield queue.popleft()


def _fetched(item: Article | FetchFailure) -> _Result:
    if isinstance(item, FetchFailure):
        return _Result(item.url, reason=_reason(item.error))
    fetched = item.diagnostics.fetch
    return _checked(fetched.requested_url if fetched else item.url or "?", item)


def _one(source: _Source, rules: Rules | None, options: Options) -> _Result:
    if source.kind == "bad":
        return _Result(source.value, reason=source.reason)
    return _local(source.value, rules, options)


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
    if source.lower().endswith(_TEXT_SUFFIXES) and isinstance(data, bytes):
        # Text another tool extracted (or a page's visible text): text mode.
        text = data.decode("utf-8-sig", "replace")
        return _checked(source, clean_text(text, rules=rules, options=options))
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


def _shown(source: str) -> str:
    """A source as it can be printed (a file name may hold bytes that are no text)."""
    return scrub(source)


def _emit_failure(out: IO[str], result: _Result, *, many: bool) -> None:
    data = {"source": _shown(result.source), "error": scrub(result.reason or "failed")}
    out.write(json.dumps(data, ensure_ascii=False, indent=None if many else 2) + "\n")


def _emit(out: IO[str], result: _Result, fmt: str, *, many: bool, explain: bool) -> None:
    article = result.article
    assert article is not None
    source = _shown(result.source)
    if fmt == "json":
        data: dict[str, Any] = {"source": source, **article.to_dict()}
        if not explain:
            data.pop("removed", None)
        if many:
            out.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    body = {"text": article.text, "markdown": article.markdown, "html": article.html}[fmt]
    if many:
        out.write(f"==> {source} <==\n")
    out.write(body.rstrip("\n") + "\n")
    if many:
        out.write("\n")
    if explain:
        out.flush()
        print(f"--- removed from {source}: {len(article.removed)}", file=sys.stderr)
        for removal in article.removed:
            print(f"[{removal.rule}] {removal.kind}: {_one_line(removal.text)}", file=sys.stderr)


def _read_list(path: str) -> Iterator[str]:
    """The lines of a list file (``-``: stdin), stripped, without blanks and ``#`` comments."""
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8-sig", errors="replace")
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
