"""Writers for batch results: JSON Lines (``.jsonl``, ``.jsonl.gz``) and Parquet.

Parquet goes through pyarrow (the ``parquet`` extra) with one fixed schema,
:func:`record_schema`: ``id``, ``url``, ``error`` and every Article field, so a
failure row is a row with ``error`` set and the Article columns null.

Resuming: :func:`completed_ids` reads the ids already in an output, repairing a JSON
Lines file whose last line an interrupted run left half-written; :func:`open_sink`
with ``append=True`` then adds to it. Parquet is written to ``<path>.partial`` and
renamed when complete, so an output either is whole or is not there.

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
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Protocol, cast

from newsclean.bulk.records import Record
from newsclean.errors import InputError

__all__ = ["JsonlSink", "ParquetSink", "Sink", "completed_ids", "open_sink", "record_schema"]

_PARQUET_SUFFIXES = (".parquet", ".pq")
_JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")


class Sink(Protocol):
    """Where results go: ``write`` one record at a time, then ``close``."""

    def write(self, record: Record) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Sink: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _Closing:
    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        raise NotImplementedError


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

    Appending to a ``.gz`` adds a gzip member, which every gzip reader handles.
    """

    def __init__(self, path: str | os.PathLike[str], *, append: bool = False) -> None:
        self.path = os.fspath(path)
        mode = "ab" if append else "wb"
        # held open across write() calls; closed by close() / the with-block
        self._handle: IO[bytes] = cast(
            "IO[bytes]",
            gzip.open(self.path, mode, compresslevel=6)  # noqa: SIM115
            if self.path.lower().endswith(".gz")
            else open(self.path, mode),  # noqa: SIM115
        )

    def write(self, record: Record) -> None:
        """Write one record as a line."""
        line = json.dumps(record, ensure_ascii=False, default=_json_default)
        self._handle.write(line.encode("utf-8") + b"\n")

    def close(self) -> None:
        """Flush and close the file."""
        self._handle.close()


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

    The file is written as ``<path>.partial`` and renamed on close. With
    ``append=True`` the rows of an existing ``path`` are copied first.
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
        self._partial = self.path + ".partial"
        self._schema = record_schema()
        self._rows: list[Record] = []
        self._row_group_size = row_group_size
        self._writer = pq.ParquetWriter(self._partial, self._schema, compression="zstd")
        if append and os.path.exists(self.path):
            for table_batch in pq.ParquetFile(self.path).iter_batches(batch_size=row_group_size):
                self._writer.write_batch(table_batch)

    def write(self, record: Record) -> None:
        """Buffer one record; a full buffer becomes a row group."""
        self._rows.append(to_row(record))
        if len(self._rows) >= self._row_group_size:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def close(self) -> None:
        """Write what is buffered, close the file and move it into place."""
        self._flush()
        self._writer.close()
        os.replace(self._partial, self.path)


def completed_ids(path: str | os.PathLike[str]) -> set[str]:
    """The ids already in an output file (an empty set if it does not exist).

    For resuming: a JSON Lines output whose tail an interrupted run left broken (a
    half-written line, a truncated gzip member) is cut back to its last whole
    record first, so appending to it gives a valid file.
    """
    name = os.fspath(path)
    _check_output(name)
    if not os.path.exists(name):
        return set()
    if name.lower().endswith(_PARQUET_SUFFIXES):
        import pyarrow.parquet as pq

        column = pq.read_table(name, columns=["id"]).column("id")
        return {str(v) for v in column.to_pylist() if v is not None}
    if name.lower().endswith(".gz"):
        return _gzip_ids(name)
    return _plain_ids(name)


def _id_of(line: bytes) -> str | None:
    try:
        data = json.loads(line)
    except ValueError:
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
