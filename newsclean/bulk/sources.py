"""Readers that turn batch inputs into records ``{"id", "url", "html"}``, streaming.

Inputs are JSON Lines (``.jsonl``, ``.jsonl.gz``: an ``html`` field, optional ``url``
and ``id``), folders of ``.html``/``.htm`` files (optionally gzipped), and WARC files
(``.warc``, ``.warc.gz``: ``response`` records with an HTML content type, read with
warcio, the ``warc`` extra: pure Python, so it installs on any Spark executor; it reads
and writes WARC/ARC and undoes HTTP content encodings; fastwarc parses faster, but
parsing is a small fraction of the time next to cleaning). Nothing reads a whole input
into memory: one line, one file or one WARC record at a time.

Ids are stable across runs (so ``--resume`` works): the record's own ``id`` if it has
one, else ``<file>:<line>`` for JSON Lines, the path relative to the folder for
folders, and the ``WARC-Record-ID`` for WARC records. A record may also carry
``charset`` (from an HTTP ``Content-Type``), used when decoding its bytes.

A damaged input never raises mid-stream: what could be read is yielded, then one
failure record ``{"id", "url", "error"}`` says where reading stopped. A missing or
unsupported input raises :class:`~newsclean.InputError` before anything is read.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.jsonl").write_text(json.dumps({"html": "<p>Hi</p>"}) + "\\n")
>>> [(r["id"], r["html"]) for r in read_inputs([folder / "a.jsonl"])]  # doctest: +ELLIPSIS
[('...a.jsonl:1', '<p>Hi</p>')]
>>> input_kind("crawl.warc.gz"), input_kind("pages.jsonl")
('warc', 'jsonl')
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal, cast

from newsclean.bulk.records import Record
from newsclean.errors import InputError
from newsclean.page.decode import charset_from_content_type

__all__ = [
    "InputKind",
    "input_kind",
    "read_folder",
    "read_inputs",
    "read_jsonl",
    "read_warc",
]

InputKind = Literal["jsonl", "folder", "warc"]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a truncated or corrupt compressed stream raises while being read.
_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError)


def input_kind(path: str | os.PathLike[str]) -> InputKind:
    """What kind of input ``path`` is, from its name (or being a folder).

    >>> input_kind("x.jsonl.gz")
    'jsonl'
    >>> input_kind("x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsclean.errors.InputError: x.csv: unsupported input; expected .jsonl[.gz], .warc[.gz] or ...
    """
    name = os.fspath(path)
    lower = name.lower()
    if os.path.isdir(name):
        return "folder"
    if lower.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return "jsonl"
    if lower.endswith((".warc", ".warc.gz")):
        return "warc"
    raise InputError(
        "unsupported input; expected .jsonl[.gz], .warc[.gz] or a folder of .html files",
        source=name,
    )


def read_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Record]:
    """Records from every input in turn, in order.

    Every path is checked first (exists, known kind), so a typo fails before any work:

    >>> read_inputs(["/no/such/file.jsonl"])
    Traceback (most recent call last):
    ...
    newsclean.errors.InputError: /no/such/file.jsonl: no such file or folder
    """
    checked: list[tuple[str, InputKind]] = []
    for path in paths:
        name = os.fspath(path)
        if not os.path.exists(name):
            raise InputError("no such file or folder", source=name)
        kind = input_kind(name)
        if not os.access(name, os.R_OK):
            raise InputError("not readable (permission denied)", source=name)
        checked.append((name, kind))
    return _chain(checked)


def _chain(checked: list[tuple[str, InputKind]]) -> Iterator[Record]:
    readers = {"jsonl": read_jsonl, "folder": read_folder, "warc": read_warc}
    for name, kind in checked:
        yield from readers[kind](name)


def _failure(record_id: str, error: str, url: str | None = None) -> Record:
    return {"id": record_id, "url": url, "error": error}


def _open_binary(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return cast("IO[bytes]", gzip.open(path, "rb"))
    return open(path, "rb")


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Records from a JSON Lines file (``.gz`` is decompressed on the fly).

    A line that is not a JSON object with a string ``html`` yields a failure record;
    blank lines are skipped. ``id`` defaults to ``<path>:<line number>``.
    """
    name = os.fspath(path)
    lineno = 0
    try:
        with _open_binary(name) as handle:
            for lineno, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                yield _jsonl_record(raw, f"{name}:{lineno}")
    except _READ_ERRORS as exc:
        yield _failure(f"{name}:{lineno + 1}", f"input unreadable after line {lineno}: {exc}")


def _jsonl_record(raw: bytes, default_id: str) -> Record:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return _failure(default_id, f"invalid JSON: {exc}")
    if not isinstance(data, dict):
        return _failure(default_id, f"expected a JSON object, got {type(data).__name__}")
    record_id = str(data["id"]) if data.get("id") is not None else default_id
    url = data.get("url") if isinstance(data.get("url"), str) else None
    html = data.get("html")
    if not isinstance(html, str):
        return _failure(record_id, "no string 'html' field", url)
    return {"id": record_id, "url": url, "html": html}


def read_folder(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Records from every ``.html``/``.htm`` file (or ``.gz`` of one) under a folder.

    Files are visited in sorted order; ``id`` is the path relative to the folder, with
    ``/`` separators. A file that cannot be read yields a failure record.
    """
    root = Path(path)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            if not filename.lower().endswith(_HTML_SUFFIXES):
                continue
            file = Path(dirpath) / filename
            record_id = file.relative_to(root).as_posix()
            try:
                with _open_binary(str(file)) as handle:
                    html = handle.read()
            except _READ_ERRORS as exc:
                yield _failure(record_id, f"unreadable file: {exc}")
                continue
            yield {"id": record_id, "url": None, "html": html}


def read_warc(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Records from the HTML ``response`` records of a WARC file (gzipped or not).

    ``id`` is the ``WARC-Record-ID``, ``url`` the ``WARC-Target-URI``; ``html`` is the
    HTTP payload with transfer and content encodings undone, and ``charset`` the one
    the HTTP ``Content-Type`` declares. Requests, metadata, images and the like are
    skipped. A damaged record yields a failure record; a damaged file stops there.
    ``path`` may be a URL (``s3://...``) when fsspec is installed.
    """
    name = os.fspath(path)
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "reading WARC files needs warcio: pip install 'newsclean[warc]'", source=name
        ) from exc
    with _open_any(name) as handle:
        yield from _warc_records(name, handle, ArchiveIterator, ArchiveLoadFailed)


def _open_any(name: str) -> IO[bytes]:
    """A local file, or a URL (``s3://``, ``https://``...) through fsspec when installed."""
    if "://" not in name:
        return open(name, "rb")
    try:
        import fsspec
    except ImportError as exc:
        raise InputError(
            "reading from a URL needs fsspec (and s3fs for s3://): pip install fsspec s3fs",
            source=name,
        ) from exc
    try:
        handle: IO[bytes] = fsspec.open(name, "rb").open()
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot open: {exc}", source=name) from exc
    return handle


def _size(handle: IO[bytes]) -> int | None:
    try:
        return os.fstat(handle.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = getattr(handle, "size", None)
        return size if isinstance(size, int) else None


def _missing(record: Any) -> int:
    """Bytes of ``record`` the file did not have (warcio reads a cut-off record quietly)."""
    limit = getattr(record.raw_stream, "limit", 0)
    return limit if isinstance(limit, int) else 0


def _warc_records(
    name: str, handle: IO[bytes], iterator: Any, load_failed: type[Exception]
) -> Iterator[Record]:
    count = 0
    archive = iterator(handle)
    records = iter(archive)
    last = None
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except Exception as exc:
            yield _failure(f"{name}#{count + 1}", f"WARC unreadable after record {count}: {exc}")
            return
        count += 1
        last = record
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = record.http_headers.get_header("Content-Type") or ""
        if not content_type.split(";")[0].strip().lower().startswith(_HTML_TYPES):
            continue
        record_id = record.rec_headers.get_header("WARC-Record-ID") or f"{name}#{count}"
        url = record.rec_headers.get_header("WARC-Target-URI")
        try:
            html = record.content_stream().read()
        except (load_failed, *_READ_ERRORS, ValueError) as exc:
            yield _failure(record_id, f"unreadable WARC payload: {exc}", url)
            continue
        if _missing(record):
            yield _failure(record_id, f"WARC truncated: {_missing(record)} bytes of it missing", url)
            return
        yield {
            "id": record_id,
            "url": url,
            "html": html,
            "charset": charset_from_content_type(content_type),
        }
    # warcio ends quietly at a truncated last record: the bytes it did not get to tell.
    size = _size(handle)
    if (last is not None and _missing(last)) or (size is not None and archive.offset < size):
        yield _failure(
            f"{name}#{count + 1}",
            f"WARC truncated or damaged after record {count} (read {archive.offset} of {size} bytes)",
        )
