"""WET files (a crawl's plain text: WARC ``conversion`` records) through ``newsclean batch``, and
``.txt`` files through ``newsclean``: both cleaned with ``clean_text``."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from batch_support import corpora_dir

import newsclean
from newsclean.bulk.pool import clean_record
from newsclean.bulk.sources import input_kind, read_warc
from newsclean.cli.batch import main as batch_main
from newsclean.cli.clean import main as clean_main

pytest.importorskip("warcio")

MENU = ["Home", "News", "Sport", "Weather", "Travel", "Culture"]
FOOTER = ["Contact us", "About us", "Jobs", "Privacy", "Cookies", "Terms"]


def _page_text(headline: str, paragraphs: list[str]) -> str:
    """A whole page's visible text, as a crawl's WET record holds it: menu, article, footer."""
    return "\n".join([*MENU, headline, "By Jane Roe", *paragraphs, "Related", "Another story here",
                      *FOOTER]) + "\n"


HARBOUR = _page_text("Harbour bridge to close for repairs", [
    "The harbour bridge will close for six weeks from Monday while engineers replace its cables, they said.",
    "Drivers will be sent along the coast road, which adds about twenty minutes to the journey into town.",
    "The work was planned after an inspection last spring found rust on several of the older cables.",
])
BAKERY = _page_text("Village bakery reopens after fire", [
    "The village bakery opened its doors again on Saturday, eight months after a fire destroyed its kitchen.",
    "Neighbours queued from six in the morning, and the first batch of bread was gone within the hour.",
])


def _write(path: Path, records: list[tuple[str, str, bytes, str]]) -> list[str]:
    """A WARC of (type, url, payload, content type) records after a warcinfo; the record ids."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ids = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsclean tests"}))
        for kind, url, payload, content_type in records:
            if kind == "response":
                record = writer.create_warc_record(
                    url, "response", payload=io.BytesIO(payload),
                    http_headers=StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                                  protocol="HTTP/1.1"))
            else:
                record = writer.create_warc_record(url, kind, payload=io.BytesIO(payload),
                                                   warc_content_type=content_type)
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
    return ids


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_wet_file_is_a_warc_input() -> None:
    assert input_kind("CC-MAIN-20240101-00000.warc.wet.gz") == "warc"
    assert input_kind("crawl.wet") == "warc"


def test_conversion_records_become_text_records(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    ids = _write(path, [("conversion", "https://coast.example/bridge", HARBOUR.encode(), "text/plain"),
                        ("conversion", "https://coast.example/pdf", b"%PDF", "application/pdf"),
                        ("conversion", "https://village.example/bakery", BAKERY.encode(), "text/plain")])
    records = list(read_warc(path))
    assert [(r["id"], r["url"]) for r in records] == [(ids[0], "https://coast.example/bridge"),
                                                      (ids[2], "https://village.example/bakery")]
    assert records[0]["text"] == HARBOUR and "html" not in records[0]
    assert list(read_warc(path, conversions=False)) == []


def test_a_text_record_is_cleaned_with_clean_text() -> None:
    out = clean_record({"id": "a", "url": "https://coast.example/bridge", "text": HARBOUR})
    expected = newsclean.clean_text(HARBOUR, url="https://coast.example/bridge")
    assert out["text"] == expected.text and out["title"] == "Harbour bridge to close for repairs"
    assert tuple(out["authors"]) == ("Jane Roe",)
    assert "Weather" not in out["text"] and "Privacy" not in out["text"]
    assert out["url"] == "https://coast.example/bridge"


def test_batch_gives_one_record_per_conversion_record(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.wet.gz"
    page = b"<html><body><article><p>" + b"A page among the texts, long enough to be an article. " * 5
    ids = _write(path, [("conversion", "https://coast.example/bridge", HARBOUR.encode(), "text/plain"),
                        ("response", "https://news.example/page", page + b"</p></article></body></html>",
                         "text/html"),
                        ("conversion", "https://village.example/bakery", BAKERY.encode(), "text/plain")])
    out = tmp_path / "out.jsonl"
    assert batch_main([str(path), "-o", str(out), "--workers", "1", "-q"]) == 0
    results = {r["id"]: r for r in _read(out)}
    assert set(results) == set(ids)
    assert results[ids[0]]["text"] == newsclean.clean_text(HARBOUR, url="https://coast.example/bridge").text
    assert results[ids[2]]["title"] == "Village bakery reopens after fire"
    assert "A page among the texts" in str(results[ids[1]]["text"])


@pytest.mark.skipif(corpora_dir() is None, reason="the shared corpora are not beside this clone")
def test_leaked_texts_of_the_corpus_round_trip_through_a_wet_file(tmp_path: Path) -> None:
    root = corpora_dir()
    assert root is not None
    with gzip.open(root / "text-dev" / "noisy.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(40), f, strict=False)]
    path = tmp_path / "corpus.warc.wet.gz"
    ids = _write(path, [("conversion", f"https://corpus.example/{r['id']}", r["noisy"].encode(), "text/plain")
                        for r in rows])
    out = tmp_path / "out.jsonl.gz"
    assert batch_main([str(path), "-o", str(out), "--workers", "2", "-q"]) == 0
    with gzip.open(out, "rt", encoding="utf-8") as f:
        results = [json.loads(line) for line in f]
    assert [r["id"] for r in results] == ids
    for row, result in zip(rows, results, strict=True):
        assert "error" not in result
        assert result["text"] == newsclean.clean_text(row["noisy"], url=f"https://corpus.example/{row['id']}").text


def test_a_txt_file_is_cleaned_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bridge.txt"
    path.write_text(HARBOUR, encoding="utf-8")
    assert clean_main([str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["text"] == newsclean.clean_text(HARBOUR).text
    assert data["title"] == "Harbour bridge to close for repairs"
