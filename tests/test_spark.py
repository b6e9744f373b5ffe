"""newsclean.spark in local mode (``local[2]``): skipped without pyspark or Java."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import fixture_pages, write_warc

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
if shutil.which("java") is None:
    pytest.skip("Spark needs Java (apt-get install default-jre-headless)", allow_module_level=True)

from newsclean.bulk.pool import clean_record
from newsclean.bulk.spark import article_struct, clean_column, read_warcs


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    # the Python workers must be this interpreter (with this venv's packages)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("newsclean-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "16")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    monkeypatch.undo()


def test_read_warcs_one_partition_per_file_every_html_record(spark: Any, tmp_path: Path) -> None:
    pages = [(url, body, cs) for _, url, body, cs in fixture_pages()]
    written = []
    paths = []
    for n in range(3):
        path = tmp_path / f"part-{n}.warc.gz"
        written += write_warc(path, pages[n:])
        paths.append(str(path))
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(Path(paths[0]).read_bytes()[:700])
    df = read_warcs(spark, [*paths, str(damaged), str(tmp_path / "missing.warc.gz")])
    assert df.rdd.getNumPartitions() == 5
    rows = df.collect()
    good = [r for r in rows if r.source in paths]
    assert all(r.error is None for r in good)
    assert sorted(r.id for r in good) == sorted(w[0] for w in written)
    assert {r.id: bytes(r.html) for r in good} == {w[0]: w[2] for w in written}
    errors = [r for r in rows if r.error is not None]
    assert {r.source for r in errors} == {str(damaged), str(tmp_path / "missing.warc.gz")}


def test_clean_column_matches_clean_record(spark: Any, tmp_path: Path) -> None:
    pages = fixture_pages()
    path = tmp_path / "fixtures.warc.gz"
    write_warc(path, [(url, body, cs) for _, url, body, cs in pages])
    pages_df = read_warcs(spark, [str(path)])
    cleaned = clean_column(pages_df, "html", url_column="url", charset_column="charset")
    assert cleaned.schema["article"].dataType == article_struct()
    rows = {r.url: r for r in cleaned.select("url", "article").collect()}
    assert len(rows) == len(pages)
    for _, url, body, charset in pages:
        expected = clean_record({"id": None, "url": url, "html": body, "charset": charset})
        article = rows[url].article
        assert article.error is None
        assert article.text == expected["text"] and article.title == expected["title"]
        assert [b.text for b in article.blocks] == [b["text"] for b in expected["blocks"]]
    assert "Stadtbücherei öffnet" in rows["https://stadt.example/buecherei"].article.text


def test_clean_column_on_strings_and_bad_rows(spark: Any) -> None:
    html = fixture_pages()[0][2].decode("utf-8")
    df = spark.createDataFrame([("a", html), ("b", None), ("c", "<p>tiny</p>")], "k string, html string")
    by_key = {r.k: r.article for r in clean_column(df).collect()}
    assert "expansion joints" in by_key["a"].text
    assert by_key["b"].error == "record has no html" and by_key["b"].text is None
    assert by_key["c"].error is None
