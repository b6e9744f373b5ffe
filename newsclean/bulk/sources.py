"""Readers that turn batch inputs into records ``{"id", "url", "html"}``, streaming.

Inputs are JSON Lines (``.jsonl``, ``.jsonl.gz``: an ``html`` field, optional ``url``
and ``id``), folders of ``.html``/``.htm`` files (optionally gzipped), and WARC files
(``.warc``, ``.warc.gz``: ``response`` records with an HTML content type, read with
warcio, the ``warc`` extra: pure Python, so it installs on any Spark executor; it reads
and writes WARC/ARC and undoes HTTP content encodings; fastwarc parses faster, but
parsing is a small fraction of the time next to cleaning). A WARC's ``conversion`` records
(Common Crawl's WET files, ``.warc.wet.gz``: a page's visible text) become text records
``{"id", "url", "text"}``, which the batch cleans with ``clean_text``. Nothing reads a whole input
into memory: one line, one file or one WARC record at a time, and no record beyond
:data:`MAX_RECORD_BYTES` once decompressed (a gzip or brotli bomb is one failure record).

Ids are stable across runs (so ``--resume`` works): the record's own ``id`` if it has
one, else ``<file>:<line>`` for JSON Lines, the path relative to the folder for
folders (prefixed by the folder itself when several folders are read, whose file
names could collide), and the ``WARC-Record-ID`` for WARC records. File paths in ids
are normalised (``./pages.jsonl`` and ``pages.jsonl`` give the same ids). Ids and URLs
are scrubbed of what no writer can encode (lone surrogates, control characters). A
record may also carry ``charset`` (from an HTTP ``Content-Type``), used when decoding
its bytes.

A damaged input never raises mid-stream and never loses what is still readable: a bad
JSON line (invalid, nested too deeply, not an object) is one failure record; a damaged
stretch of a WARC file is one failure record naming its byte offset, and reading goes
on at the next record after it. A missing or unsupported input, or a missing extra
(warcio for WARC files), raises :class:`~newsclean.InputError` before anything is read.

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
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal, cast

from newsclean.bulk.records import Record
from newsclean.errors import InputError
from newsclean.page.decode import charset_from_content_type
from newsclean.page.strings import scrub, scrub_optional

__all__ = [
    "MAX_RECORD_BYTES",
    "InputKind",
    "input_kind",
    "read_folder",
    "read_inputs",
    "read_jsonl",
    "read_warc",
]

InputKind = Literal["jsonl", "folder", "warc"]

#: The most bytes one record may hold once decompressed (ten times the default
#: ``Options.max_bytes``, to which ``clean`` cuts a page anyway); a larger one is a failure record.
MAX_RECORD_BYTES = 100_000_000

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# What a truncated or corrupt compressed stream raises while being read.
_READ_ERRORS = (OSError, EOFError, zlib.error, UnicodeDecodeError)
_MESSAGE = 120  # characters of an exception's text kept in a failure record
_SCAN = 1 << 20  # bytes read at a time while looking for the next WARC record
_WARC_HEADER = re.compile(rb"WARC/1\.[01]\r?\n")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def input_kind(path: str | os.PathLike[str]) -> InputKind:
    """What kind of input ``path`` is, from its name (or being a folder).

    >>> input_kind("x.jsonl.gz")
    'jsonl'
    >>> input_kind("x.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    newsclean.errors.InputError: x.csv: unsupported input; expected .jsonl[.gz], .warc[.gz], ...
    """
    name = os.fspath(path)
    lower = name.lower()
    if os.path.isdir(name):
        return "folder"
    if lower.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        return "jsonl"
    if lower.endswith((".warc", ".warc.gz", ".wet", ".wet.gz")):
        return "warc"
    raise InputError(
        "unsupported input; expected .jsonl[.gz], .warc[.gz], .wet[.gz] or a folder of .html files",
        source=name,
    )


def read_inputs(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Record]:
    """Records from every input in turn, in order.

    Every path is checked first (exists, known kind, the extra its kind needs is
    installed), so a typo fails before any work:

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
        if kind == "warc":
            require_warcio(name)
        checked.append((name, kind))
    prefix_folders = sum(kind == "folder" for _, kind in checked) > 1
    return _chain(checked, prefix_folders)


def require_warcio(source: str) -> None:
    """Raise :class:`~newsclean.InputError` now if warcio (the ``warc`` extra) is missing."""
    try:
        import warcio  # noqa: F401
    except ImportError as exc:
        raise InputError("reading WARC files needs warcio: pip install 'newsclean[warc]'",
                         source=source) from exc


def _chain(checked: list[tuple[str, InputKind]], prefix_folders: bool) -> Iterator[Record]:
    for name, kind in checked:
        if kind == "jsonl":
            yield from read_jsonl(name)
        elif kind == "warc":
            yield from read_warc(name)
        else:
            yield from read_folder(name, prefix=_id_path(name) if prefix_folders else None)


def _id_path(name: str) -> str:
    """``name`` as it appears in ids: normalised, with ``/`` separators.

    >>> _id_path("./crawl//pages.jsonl"), _id_path("a/../b/")
    ('crawl/pages.jsonl', 'b')
    """
    return Path(os.path.normpath(name)).as_posix()


def _short(exc: BaseException) -> str:
    """An exception as one short line for a failure record."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    text = "".join(c if c.isprintable() else "?" for c in text[:_MESSAGE])
    return text if len(text) < _MESSAGE else text[: _MESSAGE - 1] + "…"


def _failure(record_id: str, error: str, url: str | None = None) -> Record:
    return {"id": scrub(record_id), "url": scrub_optional(url), "error": scrub(error)}


def _open_binary(path: str) -> IO[bytes]:
    if path.lower().endswith(".gz"):
        return cast("IO[bytes]", gzip.open(path, "rb"))
    return open(path, "rb")


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[Record]:
    """Records from a JSON Lines file (``.gz`` is decompressed on the fly).

    A line that is not a JSON object with a string ``html`` (invalid, nested too deeply
    to parse, a list...) yields a failure record; blank lines are skipped. ``id``
    defaults to ``<path>:<line number>``, the path normalised.
    """
    name = os.fspath(path)
    id_path = _id_path(name)
    lineno = 0
    try:
        with _open_binary(name) as handle:
            for lineno, raw in enumerate(iter(lambda: handle.readline(MAX_RECORD_BYTES + 1), b""), start=1):
                if len(raw) > MAX_RECORD_BYTES:
                    _skip_line(handle)
                    yield _failure(f"{id_path}:{lineno}", _too_large())
                elif raw.strip():
                    yield _jsonl_record(raw, f"{id_path}:{lineno}")
    except _READ_ERRORS as exc:
        yield _failure(f"{id_path}:{lineno + 1}", f"input unreadable after line {lineno}: {_short(exc)}")


def _skip_line(handle: IO[bytes]) -> None:
    """Read past the rest of the current line, a chunk at a time."""
    while (chunk := handle.readline(_SCAN)) and not chunk.endswith(b"\n"):
        pass


def _too_large() -> str:
    return f"record larger than {MAX_RECORD_BYTES:,} bytes once decompressed; skipped"


def _read_capped(stream: IO[bytes]) -> bytes | None:
    """All of ``stream``, or None when it holds more than :data:`MAX_RECORD_BYTES`."""
    data = stream.read(MAX_RECORD_BYTES + 1)
    return None if len(data) > MAX_RECORD_BYTES else data


def _jsonl_record(raw: bytes, default_id: str) -> Record:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return _failure(default_id, f"invalid JSON: {_short(exc)}")
    except RecursionError:
        return _failure(default_id, "invalid JSON: nested too deeply to read")
    if not isinstance(data, dict):
        return _failure(default_id, f"expected a JSON object, got {type(data).__name__}")
    raw_id = data.get("id")
    record_id = scrub(str(raw_id)) if raw_id is not None and not isinstance(raw_id, dict | list) else None
    record_id = record_id or default_id
    url = scrub(data["url"]) if isinstance(data.get("url"), str) else None
    html = data.get("html")
    if not isinstance(html, str):
        return _failure(record_id, "no string 'html' field", url)
    return {"id": record_id, "url": url, "html": html}


def read_folder(path: str | os.PathLike[str], *, prefix: str | None = None) -> Iterator[Record]:
    """Records from every ``.html``/``.htm`` file (or ``.gz`` of one) under a folder.

    Files are visited in sorted order; ``id`` is the path relative to the folder, with
    ``/`` separators, after ``prefix/`` when a prefix is given (:func:`read_inputs` gives
    the folder's own path when it reads several folders). A file that cannot be read
    yields a failure record.
    """
    root = Path(path)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            if not filename.lower().endswith(_HTML_SUFFIXES):
                continue
            file = Path(dirpath) / filename
            record_id = scrub(file.relative_to(root).as_posix())
            if prefix is not None:
                record_id = f"{scrub(prefix)}/{record_id}"
            try:
                with _open_binary(str(file)) as handle:
                    html = _read_capped(handle)
            except _READ_ERRORS as exc:
                yield _failure(record_id, f"unreadable file: {_short(exc)}")
                continue
            if html is None:
                yield _failure(record_id, _too_large())
                continue
            yield {"id": record_id, "url": None, "html": html}


def read_warc(path: str | os.PathLike[str], *, conversions: bool = True) -> Iterator[Record]:
    """Records from the HTML ``response`` records of a WARC file (gzipped or not), and from its
    ``conversion`` records (a WET file's plain text: ``{"id", "url", "text"}``, the text decoded as
    UTF-8) unless ``conversions`` is False.

    ``id`` is the ``WARC-Record-ID``, ``url`` the ``WARC-Target-URI``; ``html`` is the
    HTTP payload with transfer and content encodings (gzip, deflate, brotli) undone,
    and ``charset`` the one the HTTP ``Content-Type`` declares. Requests, metadata,
    images and the like are skipped. A record whose payload cannot be decoded yields a
    failure record; a damaged stretch of the file yields one failure record naming its
    byte offset, and reading goes on at the next record (the next ``WARC/1.x`` header,
    or gzip member that starts with one). A file cut off in a record ends with a
    failure record. ``path`` may be a URL (``s3://...``) when fsspec is installed.
    """
    name = os.fspath(path)
    require_warcio(name)
    with _open_any(name) as handle:
        yield from _warc_records(_id_path(name) if "://" not in name else name, handle, conversions)


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


def _seekable(handle: IO[bytes]) -> bool:
    try:
        return bool(handle.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _warc_records(name: str, handle: IO[bytes], conversions: bool = True) -> Iterator[Record]:
    """Every HTML response (and text conversion) of the WARC in ``handle``, resynchronising after damage."""
    from warcio.archiveiterator import ArchiveIterator

    size = _size(handle)
    gzipped = _is_gzip(handle)
    count = 0
    start = 0
    while True:
        archive = ArchiveIterator(handle, check_digests=True)
        records = iter(archive)
        damaged: str | None = None
        last: Any = None
        while True:
            errors = archive.err_count
            try:
                record = next(records)
            except StopIteration:
                break
            except Exception as exc:  # warcio raises many kinds on garbage
                damaged = _short(exc)
                break
            if archive.err_count > errors:
                # The previous record did not end where its Content-Length said: warcio skipped a
                # line to get here, so what it read next cannot be trusted. (Its offset is now
                # the end of the previous record.)
                damaged = "a record does not end where its Content-Length says"
                break
            damaged = _bad_header(record)
            if damaged:
                break
            count += 1
            last = record
            if conversions and record.rec_type == "conversion":
                result = _conversion(name, count, record)
            elif record.rec_type != "response" or record.http_headers is None:
                continue
            else:
                result = _response(name, count, record)
            if result is not None and "error" not in result and _missing(record):
                # warcio reads a record cut off by the end of the file quietly
                yield _failure(result["id"], f"WARC truncated: {_missing(record)} bytes of this record "
                                             "missing", result["url"])
                return
            if result is not None:
                yield result
        if last is not None and _missing(last):
            yield _failure(f"{name}@{archive.offset}", f"WARC truncated: the last {_missing(last)} bytes "
                                                       "of the record at this offset are missing")
            return
        # Where reading stopped (warcio's offset is the start of the record it could not read):
        # the end of the file, or damage.
        where = max(archive.offset, start)
        if damaged is None and (size is None or where >= size):
            return
        resume = _next_record(handle, where + 1, gzipped) if _seekable(handle) else None
        reason = damaged or "no WARC record where one should start"
        if resume is None:
            yield _failure(f"{name}@{where}", f"WARC damaged at byte {where} ({reason}); "
                                              f"no readable record after it (file size {size})")
            return
        yield _failure(f"{name}@{where}", f"WARC damaged at byte {where} ({reason}); "
                                          f"{resume - where} bytes skipped, reading goes on at byte {resume}")
        handle.seek(resume)
        start = resume


def _bad_header(record: Any) -> str | None:
    """What is wrong with a record's WARC header, or None: a damaged header (a field name
    that is no token, a mandatory field missing) is damage, not a record."""
    headers = record.rec_headers
    for name, _ in headers.headers:
        if not _TOKEN.match(name):
            return "a WARC record header with garbage in it"
    for name in ("WARC-Type", "WARC-Record-ID", "WARC-Date"):
        if not headers.get_header(name):
            return f"a WARC record header without {name}"
    if not (headers.get_header("Content-Length") or "").strip().isdigit():
        # A record without a length would be read to the end of the file, swallowing the rest.
        return "a WARC record header without a valid Content-Length"
    return None


def _response(name: str, count: int, record: Any) -> Record | None:
    """The record for one WARC response: its HTML, a failure, or None (not HTML)."""
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not content_type.split(";")[0].strip().lower().startswith(_HTML_TYPES):
        return None
    record_id = scrub(record.rec_headers.get_header("WARC-Record-ID") or f"{name}#{count}")
    url = scrub_optional(record.rec_headers.get_header("WARC-Target-URI"))
    coding = record.http_headers.get_header("Content-Encoding")
    problem = _unsupported_encoding(coding)
    if problem:
        return _failure(record_id, problem, url)
    try:
        html = _unbrotli(record) if _codings(coding) == ["br"] else _read_capped(record.content_stream())
    except Exception as exc:  # zlib, brotli and warcio errors alike: this record only
        return _failure(record_id, f"unreadable WARC payload: {_short(exc)}", url)
    if html is None:
        return _failure(record_id, _too_large(), url)
    checker = getattr(record, "digest_checker", None)
    if any(str(p).startswith("block digest failed") for p in getattr(checker, "problems", ())):
        return _failure(record_id, "damaged WARC record: its WARC-Block-Digest does not match", url)
    return {"id": record_id, "url": url, "html": html, "charset": charset_from_content_type(content_type)}


def _conversion(name: str, count: int, record: Any) -> Record | None:
    """The text record for one WARC conversion (a WET record: a page's text), a failure, or None
    (a conversion to something other than text)."""
    content_type = (record.rec_headers.get_header("Content-Type") or "text/plain").split(";")[0]
    if not content_type.strip().lower().startswith("text/plain"):
        return None
    record_id = scrub(record.rec_headers.get_header("WARC-Record-ID") or f"{name}#{count}")
    url = scrub_optional(record.rec_headers.get_header("WARC-Target-URI"))
    try:
        data = _read_capped(record.content_stream())
    except Exception as exc:  # warcio errors: this record only
        return _failure(record_id, f"unreadable WARC payload: {_short(exc)}", url)
    if data is None:
        return _failure(record_id, _too_large(), url)
    return {"id": record_id, "url": url, "text": scrub(data.decode("utf-8", "replace"))}


def _codings(header: str | None) -> list[str]:
    """The content codings of a ``Content-Encoding`` header, ``identity`` left out."""
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
    return [c for c in codings if c != "identity"]


def _unsupported_encoding(header: str | None) -> str | None:
    """Why a payload with this ``Content-Encoding`` cannot be decoded, or None if it can."""
    from warcio.bufferedreaders import BufferedReader

    codings = _codings(header)
    if not codings:
        return None
    if codings == ["br"]:
        try:
            import brotli  # noqa: F401
        except ImportError:
            return "brotli-encoded payload, and the brotli package is missing: pip install 'newsclean[warc]'"
        return None
    if len(codings) == 1 and codings[0] in set(BufferedReader.get_supported_decompressors()):
        return None
    return f"unsupported Content-Encoding {scrub(header or '')!r}"


def _unbrotli(record: Any) -> bytes | None:
    """A brotli payload, decoded here (warcio's own brotli reader fails with brotli 1.2);
    None when it holds more than :data:`MAX_RECORD_BYTES`."""
    import brotli
    from warcio.bufferedreaders import ChunkedDataReader

    raw = record.raw_stream
    if (record.http_headers.get_header("Transfer-Encoding") or "").strip().lower() == "chunked":
        raw = ChunkedDataReader(raw)
    compressed = _read_capped(raw)
    if compressed is None:
        return None
    decoder = brotli.Decompressor()
    html = decoder.process(compressed, output_buffer_limit=MAX_RECORD_BYTES + 1)
    if len(html) > MAX_RECORD_BYTES:
        return None
    if not decoder.is_finished():
        raise ValueError("brotli stream cut off")
    return bytes(html)


def _is_gzip(handle: IO[bytes]) -> bool:
    if not _seekable(handle):
        return False
    position = handle.tell()
    head = handle.read(3)
    handle.seek(position)
    return head == _GZIP_MAGIC


def _next_record(handle: IO[bytes], position: int, gzipped: bool) -> int | None:
    """The offset of the first WARC record that starts at or after ``position``: a
    ``WARC/1.0``/``WARC/1.1`` line, or in a gzipped WARC a gzip member that inflates to one."""
    while True:
        handle.seek(position)
        chunk = handle.read(_SCAN + 64)
        if not chunk:
            return None
        if gzipped:
            found = chunk.find(_GZIP_MAGIC)
            while found != -1 and found < _SCAN:
                if _member_is_warc(handle, position + found):
                    return position + found
                found = chunk.find(_GZIP_MAGIC, found + 1)
        else:
            match = _WARC_HEADER.search(chunk)
            if match is not None and match.start() < _SCAN:
                return position + match.start()
        if len(chunk) <= _SCAN:
            return None
        position += _SCAN


def _member_is_warc(handle: IO[bytes], offset: int) -> bool:
    handle.seek(offset)
    try:
        head = zlib.decompressobj(31).decompress(handle.read(4096), 16)
    except zlib.error:
        return False
    return _WARC_HEADER.match(head) is not None
