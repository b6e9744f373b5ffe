"""Writers for batch results: JSON Lines (``.jsonl``, ``.jsonl.gz``) and Parquet.

Parquet goes through pyarrow (the ``parquet`` extra) with one fixed schema,
:func:`record_schema`: ``id``, ``url``, ``error`` and every Article field, so a
failure row is a row with ``error`` set and the Article columns null.

Whole or absent: every sink writes to ``<path>.partial`` and renames it to ``path`` when
closed after a complete run, so ``path`` only ever holds a finished output. A run that
stops early (an exception in the ``with`` block, or :meth:`~JsonlSink.abort` after
Ctrl-C) leaves ``<path>.partial`` holding every record written so far, whole records
only (Parquet gets its footer, so it is a readable file), and ``path`` as it was.

A record that cannot be written (a string no encoder takes, a value JSON has no form
for, nesting too deep) is written as its failure record instead: a sink never stops a
batch on one record.

Resuming: :func:`completed_ids` reads the ids already done, from ``<path>.partial`` if an
interrupted run left one, else from ``path``, first cutting back a JSON Lines file
whose last line a killed run left half-written; :func:`open_sink` with ``append=True``
then carries on in the partial file (starting it from ``path``'s records when there is
no partial one).

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl.gz"
>>> with open_sink(out) as sink:
...     sink.write({"id": "a", "url": None, "error": "boom"})
>>> completed_ids(out)
{'a'}
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol, cast

from newsclean.bulk.records import Record, failure_record
from newsclean.errors import InputError

__all__ = [
    "JsonlSink", "ParquetSink", "Sink", "completed_ids", "open_sink", "partial_path", "record_schema",
]

_PARQUET_SUFFIXES = (".parquet", ".pq")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


class Sink(Protocol):
    """Where results go: ``write`` one record at a time, then ``close``."""

    def write(self, record: Record) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...

    def __enter__(self) -> Sink: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _Closing:
    """``with`` support: a clean exit closes (the output is complete), an exception aborts."""

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    def close(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


def partial_path(path: str | os.PathLike[str]) -> str:
    """Where a sink writes until it is complete: ``<path>.partial``.

    >>> partial_path("out.jsonl.gz")
    'out.jsonl.gz.partial'
    """
    return os.fspath(path) + ".partial"


def _unwritable(record: Record, exc: BaseException) -> Record:
    """The failure record that replaces a record no writer could take."""
    reason = " ".join(str(exc).split())[:200]
    return failure_record(record, f"result could not be written ({type(exc).__name__}: {reason})")


# What encoding one record can raise: lone surrogates, NaN, cycles, odd types, deep nesting.
_ENCODE_ERRORS = (UnicodeError, ValueError, TypeError, OverflowError, RecursionError)


def _check_output(path: str) -> None:
    lower = path.lower()
    if not lower.endswith(_JSONL_SUFFIXES + _PARQUET_SUFFIXES):
        raise InputError("unsupported output; expected .jsonl, .jsonl.gz or .parquet", source=path)


def open_sink(path: str | os.PathLike[str], *, append: bool = False) -> Sink:
    """A writer for ``path``, chosen by its suffix (``.jsonl``, ``.jsonl.gz``, ``.parquet``).

    >>> open_sink("out.csv")
    Traceback (most recent call last):
    ...
    newsclean.errors.InputError: out.csv: unsupported output; expected .jsonl, .jsonl.gz or .parquet
    """
    name = os.fspath(path)
    _check_output(name)
    if name.lower().endswith(_PARQUET_SUFFIXES):
        return ParquetSink(name, append=append)
    return JsonlSink(name, append=append)


class JsonlSink(_Closing):
    """One JSON object per line, UTF-8; gzip-compressed when the name ends in ``.gz``.

    Written to ``<path>.partial`` and renamed to ``path`` by :meth:`close`. With
    ``append=True`` an interrupted run's partial file is continued (else one is started
    from ``path``'s records); appending to a ``.gz`` adds a gzip member, which every gzip
    reader handles.
    """

    def __init__(self, path: str | os.PathLike[str], *, append: bool = False) -> None:
        self.path = os.fspath(path)
        self.partial = partial_path(self.path)
        if append and not os.path.exists(self.partial) and os.path.exists(self.path):
            _copy_atomically(self.path, self.partial)
        mode = "ab" if append else "wb"
        # held open across write() calls; closed by close() / abort() / the with-block
        self._handle: IO[bytes] | None = cast(
            "IO[bytes]",
            gzip.open(self.partial, mode, compresslevel=6)  # noqa: SIM115
            if self.path.lower().endswith(".gz")
            else open(self.partial, mode),  # noqa: SIM115
        )

    def write(self, record: Record) -> None:
        """Write one record as a line (its failure record if it cannot be encoded)."""
        if self._handle is None:
            raise ValueError(f"{self.path}: write to a closed sink")
        try:
            line = _encode(record)
        except _ENCODE_ERRORS as exc:
            line = _encode(_unwritable(record, exc))
        self._handle.write(line)

    def close(self) -> None:
        """Flush, close and move the complete file into place."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            os.replace(self.partial, self.path)

    def abort(self) -> None:
        """Flush and close, leaving what was written in ``<path>.partial`` for ``--resume``."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _encode(record: Record) -> bytes:
    line = json.dumps(record, ensure_ascii=False, allow_nan=False, default=_json_default)
    return line.encode("utf-8") + b"\n"


def _copy_atomically(source: str, target: str) -> None:
    """Copy ``source`` to ``target`` through a temporary name, so ``target`` is whole or absent."""
    tmp = target + ".tmp"
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def record_schema() -> Any:
    """The pyarrow schema of a result row: ``id``, ``url``, ``error``, Article fields.

    >>> [f.name for f in record_schema()][:4]
    ['id', 'url', 'error', 'canonical_url']
    """
    import pyarrow as pa

    string, strings = pa.string(), pa.list_(pa.string())
    block = pa.struct(
        [
            ("kind", string),
            ("text", string),
            ("level", pa.int32()),
            ("ordered", pa.bool_()),
            ("time", string),
            ("rows", pa.list_(strings)),
        ]
    )
    image = pa.struct([("url", string), ("alt", string), ("caption", string), ("credit", string)])
    removal = pa.struct([("rule", string), ("kind", string), ("text", string)])
    fetch = pa.struct(
        [
            ("requested_url", string),
            ("final_url", string),
            ("status", pa.int32()),
            ("content_type", string),
            ("redirects", strings),
            ("bytes", pa.int64()),
            ("from_cache", pa.bool_()),
            ("elapsed", pa.float64()),
        ]
    )
    diagnostics = pa.struct(
        [
            ("truncated", pa.bool_()),
            ("flattened", pa.bool_()),
            ("safeguard", pa.bool_()),
            ("extractor", string),
            ("fallback", string),
            ("slow", pa.float64()),
            ("fetch", fetch),
        ]
    )
    return pa.schema(
        [
            ("id", string),
            ("url", string),
            ("error", string),
            ("canonical_url", string),
            ("title", string),
            ("description", string),
            ("authors", strings),
            ("published", string),
            ("modified", string),
            ("site_name", string),
            ("language", string),
            ("lead_image", string),
            ("tags", strings),
            ("blocks", pa.list_(block)),
            ("images", pa.list_(image)),
            ("html", string),
            ("removed", pa.list_(removal)),
            ("is_article", pa.bool_()),
            ("paywalled", pa.bool_()),
            ("reason", string),
            ("diagnostics", diagnostics),
            ("text", string),
            ("markdown", string),
            ("word_count", pa.int64()),
        ]
    )


def to_row(record: Record) -> Record:
    """``record`` shaped for :func:`record_schema`: ``id`` as text.

    >>> to_row({"id": 3, "error": "timed out"})
    {'id': '3', 'error': 'timed out'}
    """
    row = dict(record)
    if row.get("id") is not None:
        row["id"] = str(row["id"])
    return row


class ParquetSink(_Closing):
    """Rows buffered ``row_group_size`` at a time into a Parquet file (zstd).

    Written to ``<path>.partial.tmp``; :meth:`close` moves it to ``path``, :meth:`abort`
    closes it (footer written: a readable file) as ``<path>.partial``. With
    ``append=True`` the rows of ``<path>.partial`` (an interrupted run), else of ``path``,
    are copied first. Each record is converted on its own, so one that does not fit the
    schema becomes its failure row without costing the rows around it.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, append: bool = False, row_group_size: int = 500
    ) -> None:
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise InputError(
                "writing Parquet needs pyarrow: pip install 'newsclean[parquet]'",
                source=os.fspath(path),
            ) from exc
        self.path = os.fspath(path)
        self.partial = partial_path(self.path)
        self._tmp = self.partial + ".tmp"
        self._schema = record_schema()
        self._batches: list[Any] = []
        self._buffered = 0
        self._row_group_size = row_group_size
        source = None
        if append:
            source = self.partial if _parquet_readable(self.partial) else None
            source = source or (self.path if os.path.exists(self.path) else None)
        self._writer: Any = pq.ParquetWriter(self._tmp, self._schema, compression="zstd")
        if source is not None:
            for table_batch in pq.ParquetFile(source).iter_batches(batch_size=row_group_size):
                self._writer.write_batch(table_batch)

    def write(self, record: Record) -> None:
        """Buffer one record (its failure row if it does not fit); a full buffer becomes a row group."""
        import pyarrow as pa

        try:
            batch = pa.RecordBatch.from_pylist([to_row(record)], schema=self._schema)
        except (pa.ArrowException, *_ENCODE_ERRORS) as exc:
            batch = pa.RecordBatch.from_pylist([to_row(_unwritable(record, exc))], schema=self._schema)
        self._batches.append(batch)
        self._buffered += 1
        if self._buffered >= self._row_group_size:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._batches:
            self._writer.write_table(pa.Table.from_batches(self._batches, schema=self._schema))
            self._batches, self._buffered = [], 0

    def close(self) -> None:
        """Write what is buffered, close the file and move it into place."""
        if self._finish(self.path) and os.path.exists(self.partial):
            os.remove(self.partial)

    def abort(self) -> None:
        """Write what is buffered and close the file as ``<path>.partial`` for ``--resume``."""
        self._finish(self.partial)

    def _finish(self, target: str) -> bool:
        """Flush, write the footer and move the file to ``target``; False if already done."""
        if self._writer is None:
            return False
        self._flush()
        self._writer.close()
        self._writer = None
        os.replace(self._tmp, target)
        return True


def _parquet_readable(name: str) -> bool:
    """Whether ``name`` is a Parquet file with its footer (a killed run's is not)."""
    if not os.path.exists(name):
        return False
    import pyarrow.parquet as pq

    try:
        pq.ParquetFile(name).metadata  # noqa: B018 - reading the footer is the check
    except Exception:
        return False
    return True


def completed_ids(path: str | os.PathLike[str]) -> set[str]:
    """The ids a resumed run skips: those in ``<path>.partial`` when an interrupted run left
    one, else those in ``path`` (an empty set if neither exists).

    A JSON Lines file whose tail a killed run left broken (a half-written line, a
    truncated gzip member) is cut back to its last whole record first, so appending to
    it gives a valid file; a Parquet partial file without its footer (a killed run) is
    unreadable and is removed.
    """
    name = os.fspath(path)
    _check_output(name)
    partial = partial_path(name)
    if name.lower().endswith(_PARQUET_SUFFIXES):
        if os.path.exists(partial) and not _parquet_readable(partial):
            os.remove(partial)
        source = partial if os.path.exists(partial) else name
        if not os.path.exists(source):
            return set()
        import pyarrow.parquet as pq

        column = pq.read_table(source, columns=["id"]).column("id")
        return {str(v) for v in column.to_pylist() if v is not None}
    source = partial if os.path.exists(partial) else name
    if not os.path.exists(source):
        return set()
    if name.lower().endswith(".gz"):
        return _gzip_ids(source)
    return _plain_ids(source)


def _id_of(line: bytes) -> str | None:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if isinstance(data, dict) and data.get("id") is not None:
        return str(data["id"])
    return None


def _plain_ids(name: str) -> set[str]:
    ids: set[str] = set()
    good_end = 0
    with open(name, "rb") as handle:
        for line in handle:
            record_id = _id_of(line)
            if not line.endswith(b"\n") or record_id is None:
                break
            ids.add(record_id)
            good_end += len(line)
    if good_end != os.path.getsize(name):
        with open(name, "r+b") as handle:
            handle.truncate(good_end)
    return ids


def _gzip_lines(name: str) -> Iterator[bytes]:
    with gzip.open(name, "rb") as handle:
        yield from handle


def _gzip_ids(name: str) -> set[str]:
    ids: set[str] = set()
    broken = False
    try:
        for line in _gzip_lines(name):
            record_id = _id_of(line)
            if not line.endswith(b"\n") or record_id is None:
                broken = True
                break
            ids.add(record_id)
    except (OSError, EOFError, zlib.error):
        broken = True
    if broken:
        # Rewrite the whole records into a fresh file, streaming, then swap it in.
        tmp = Path(name + ".repair")
        with gzip.open(tmp, "wb") as out:
            try:
                for line in _gzip_lines(name):
                    if not line.endswith(b"\n") or _id_of(line) is None:
                        break
                    out.write(line)
            except (OSError, EOFError, zlib.error):
                pass
        os.replace(tmp, name)
    return ids
