"""newsclean on Spark (the ``spark`` extra): clean a column of HTML, read WARC files.

* :func:`clean_column` adds a struct column of Article fields (plus ``error``) to a
  DataFrame with an HTML column, through ``mapInArrow``: Arrow batches in, one
  :func:`~newsclean.bulk.pool.clean_record` per row, Arrow batches out (measured faster
  than a pandas UDF; see ``docs/spark.md``).
* :func:`read_warcs` turns a list of WARC paths (local, or ``s3://``... with fsspec)
  into rows ``id, url, html, charset, error``, one partition per file.

Both work on Spark Connect too (no RDD API). Example, in local mode::

    from pyspark.sql import SparkSession
    from newsclean.bulk.spark import clean_column, read_warcs

    spark = SparkSession.builder.master("local[*]").getOrCreate()
    pages = read_warcs(spark, ["CC-NEWS-20240101000000-00000.warc.gz"])
    articles = clean_column(pages, "html", url_column="url", charset_column="charset")
    articles.select("id", "article.title", "article.text").write.parquet("articles.parquet")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newsclean.bulk.pool import RecordCleaner
from newsclean.bulk.records import Record
from newsclean.bulk.sinks import record_schema, to_row
from newsclean.bulk.sources import read_warc
from newsclean.errors import InputError
from newsclean.options import Options
from newsclean.rules import Rules

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

__all__ = [
    "WARC_ROW_SCHEMA",
    "article_arrow_type",
    "article_struct",
    "clean_column",
    "read_warcs",
]

#: Columns of :func:`read_warcs` rows, as a Spark DDL string.
WARC_ROW_SCHEMA = "id string, url string, html binary, charset string, error string, source string"
_WARC_BATCH_ROWS = 64  # rows per Arrow batch read_warcs hands Spark (bounds memory per task)


def article_arrow_type() -> pa.StructType:
    """The Arrow struct of one cleaned article: every Article field, ``url``, ``error``."""
    import pyarrow as pa

    return pa.struct([field for field in record_schema() if field.name != "id"])


def article_struct() -> StructType:
    """:func:`article_arrow_type` as a Spark ``StructType``."""
    from pyspark.sql.pandas.types import from_arrow_type
    from pyspark.sql.types import StructType

    struct = from_arrow_type(article_arrow_type())
    assert isinstance(struct, StructType)
    return struct


def _clean_rows(
    htmls: list[Any], urls: list[Any], charsets: list[Any], func: Callable[[Record], Record]
) -> list[Record]:
    rows = []
    for html, url, charset in zip(htmls, urls, charsets, strict=True):
        row = to_row(func({"id": None, "url": url, "html": html, "charset": charset}))
        row.pop("id", None)
        rows.append(row)
    return rows


def clean_column(
    df: DataFrame,
    html_column: str = "html",
    *,
    url_column: str | None = None,
    charset_column: str | None = None,
    output: str = "article",
    rules: Rules | None = None,
    options: Options | None = None,
    func: Callable[[Record], Record] | None = None,
) -> DataFrame:
    """``df`` with a struct column ``output`` holding each row's cleaned article.

    ``html_column`` holds the page as string or binary; ``url_column`` (optional) its
    URL; ``charset_column`` (optional) the charset its HTTP headers declared, used to
    decode binary pages (:func:`read_warcs` gives both). A row that cannot be cleaned
    gets ``output.error`` set and the other fields null. Cleans with ``rules`` and
    ``options`` (or runs ``func`` instead, a picklable record function) through
    ``mapInArrow``; Spark gives each task its own Python worker, so all executor cores
    are used.
    """
    import pyarrow as pa
    from pyspark.sql.types import StructField, StructType

    clean = func or RecordCleaner(rules, options)
    struct_type = article_arrow_type()
    out_schema = StructType([*df.schema.fields, StructField(output, article_struct(), True)])

    def clean_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for record_batch in batches:
            htmls = record_batch.column(html_column).to_pylist()
            urls, charsets = (
                record_batch.column(name).to_pylist() if name else [None] * record_batch.num_rows
                for name in (url_column, charset_column)
            )
            articles = pa.array(_clean_rows(htmls, urls, charsets, clean), type=struct_type)
            yield pa.RecordBatch.from_arrays(
                [*record_batch.columns, articles], names=[*record_batch.schema.names, output]
            )

    return df.mapInArrow(clean_batches, out_schema)


def read_warcs(spark: SparkSession, paths: Sequence[str]) -> DataFrame:
    """Rows ``id, url, html, charset, error, source`` from the HTML responses of WARCs.

    One partition per file, so a cluster reads the files in parallel; ``source`` is
    the file a row came from. A damaged file gives a row with ``error`` set (see
    :func:`newsclean.bulk.sources.read_warc`). Paths must be readable from the executors:
    shared storage, or URLs such as ``s3://...`` (fsspec and s3fs on the executors).
    """
    import pyarrow as pa

    files = list(paths)
    if not files:
        raise ValueError("read_warcs needs at least one path")
    arrow_schema = pa.schema(
        [
            ("id", pa.string()),
            ("url", pa.string()),
            ("html", pa.binary()),
            ("charset", pa.string()),
            ("error", pa.string()),
            ("source", pa.string()),
        ]
    )

    def read(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for record_batch in batches:
            for index in record_batch.column("id").to_pylist():
                rows: list[Record] = []
                for record in _warc_or_failure(files[index]):
                    html = record.get("html")
                    if isinstance(html, str):
                        html = html.encode("utf-8")
                    rows.append({**record, "html": html, "source": files[index]})
                    if len(rows) >= _WARC_BATCH_ROWS:
                        yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema)
                        rows = []
                if rows:
                    yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema)

    indexes = spark.range(0, len(files), 1, numPartitions=len(files))
    return indexes.mapInArrow(read, WARC_ROW_SCHEMA)


def _warc_or_failure(path: str) -> Iterator[Record]:
    """:func:`read_warc`, with a file that cannot be opened as one failure row."""
    try:
        yield from read_warc(path, conversions=False)
    except (InputError, OSError) as exc:
        yield {"id": path, "url": None, "html": None, "charset": None, "error": str(exc)}
