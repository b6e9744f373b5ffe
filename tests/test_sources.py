"""Readers: JSON Lines, folders and WARC files into records, streaming and never raising."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from batch_support import corpora_dir, corpora_path, corpus_pages, fixture_pages, write_warc

from benchmarks.corpus import corpora_missing
from newsclean import InputError
from newsclean.bulk.sources import input_kind, read_folder, read_inputs, read_jsonl, read_warc


def _write_jsonl(path: Path, rows: list[object]) -> None:
    lines = "".join(json.dumps(r) + "\n" for r in rows).encode()
    path.write_bytes(gzip.compress(lines) if path.suffix == ".gz" else lines)


@pytest.mark.parametrize("name", ["pages.jsonl", "pages.jsonl.gz"])
def test_jsonl_ids_urls_and_generated_ids(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _write_jsonl(
        path,
        [
            {"id": "first", "url": "https://a.example/1", "html": "<p>One</p>"},
            {"html": "<p>Two</p>"},
            {"id": 42, "html": "<p>Three</p>"},
        ],
    )
    records = list(read_jsonl(path))
    assert [r["id"] for r in records] == ["first", f"{path}:2", "42"]
    assert [r["url"] for r in records] == ["https://a.example/1", None, None]
    assert [r["html"] for r in records] == ["<p>One</p>", "<p>Two</p>", "<p>Three</p>"]
    # ids are stable: a second read gives the same ones
    assert [r["id"] for r in read_jsonl(path)] == [r["id"] for r in records]


def test_jsonl_bad_lines_become_failure_records(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok", "html": "<p>x</p>"}\n'
        "not json at all\n"
        "\n"
        '["a list"]\n'
        '{"id": "nohtml", "url": "https://u.example/"}\n'
        '{"id": "last", "html": "<p>y</p>"}\n',
        encoding="utf-8",
    )
    records = list(read_jsonl(path))
    assert [r["id"] for r in records] == ["ok", f"{path}:2", f"{path}:4", "nohtml", "last"]
    errors = [r.get("error") for r in records]
    assert errors[0] is None and errors[4] is None
    assert "invalid JSON" in errors[1]
    assert "JSON object" in errors[2]
    assert "html" in errors[3] and records[3]["url"] == "https://u.example/"


def test_truncated_gzip_yields_what_was_read_then_one_failure(tmp_path: Path) -> None:
    rows = [{"id": str(i), "html": f"<p>{'word ' * 200}{i}</p>"} for i in range(200)]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    records = list(read_jsonl(path))
    good, last = records[:-1], records[-1]
    assert 0 < len(good) < 200
    assert [r["id"] for r in good] == [str(i) for i in range(len(good))]
    assert "unreadable" in last["error"]


def test_folder_reads_html_and_gz_with_relative_ids(tmp_path: Path) -> None:
    pages = fixture_pages()
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.html").write_bytes(pages[0][2])
    (tmp_path / "sub" / "a.html.gz").write_bytes(gzip.compress(pages[1][2]))
    (tmp_path / "a.htm").write_bytes(pages[2][2])
    (tmp_path / "notes.txt").write_text("not a page")
    (tmp_path / "sub" / "broken.html.gz").write_bytes(b"\x1f\x8b\x08 not really gzip")
    records = list(read_folder(tmp_path))
    assert [r["id"] for r in records] == ["a.htm", "b.html", "sub/a.html.gz", "sub/broken.html.gz"]
    assert records[0]["html"] == pages[2][2]
    assert records[2]["html"] == pages[1][2]  # decompressed
    assert "unreadable" in records[3]["error"]


@pytest.mark.parametrize("name", ["fixtures.warc", "fixtures.warc.gz"])
def test_warc_gives_each_html_response_once_with_decoded_payload(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    pages = fixture_pages()
    written = write_warc(path, [(url, body, cs) for _, url, body, cs in pages])
    records = list(read_warc(path))
    assert [r["id"] for r in records] == [w[0] for w in written]
    assert [r["url"] for r in records] == [w[1] for w in written]
    # gzip content-encoding and chunked transfer-encoding are undone
    assert [r["html"] for r in records] == [w[2] for w in written]
    assert [r["charset"] for r in records] == [cs for *_, cs in pages]
    assert all(r["id"].startswith("<urn:uuid:") for r in records)


def test_truncated_warc_stops_with_a_failure_record(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    pages = fixture_pages() * 5
    write_warc(path, [(url, body, cs) for _, url, body, cs in pages], noise=False)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    records = list(read_warc(path))
    assert 0 < len(records) < len(pages) + 1
    assert "error" in records[-1]
    assert all("error" not in r for r in records[:-1])


def test_read_inputs_mixes_kinds_in_order(tmp_path: Path) -> None:
    pages = fixture_pages()
    _write_jsonl(tmp_path / "a.jsonl", [{"id": "j", "html": pages[0][2].decode()}])
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "f.html").write_bytes(pages[1][2])
    written = write_warc(tmp_path / "c.warc.gz", [(pages[2][1], pages[2][2], None)])
    ids = [r["id"] for r in read_inputs([tmp_path / "a.jsonl", folder, tmp_path / "c.warc.gz"])]
    assert ids == ["j", "f.html", written[0][0]]


def test_bad_inputs_raise_input_error_before_reading(tmp_path: Path) -> None:
    (tmp_path / "ok.jsonl").write_text('{"html": "<p>x</p>"}\n')
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(InputError, match="no such file"):
        read_inputs([tmp_path / "ok.jsonl", tmp_path / "missing.warc"])
    with pytest.raises(InputError, match="unsupported input"):
        read_inputs([tmp_path / "data.csv"])
    assert input_kind(tmp_path) == "folder"


@pytest.mark.skipif(corpora_dir() is None, reason=corpora_missing(corpora_path()))
def test_warc_from_the_shared_corpora_round_trips(tmp_path: Path) -> None:
    pages = [(url, body, None) for _, url, body in corpus_pages("readability")]
    pages += [(url, body, None) for _, url, body in corpus_pages("goose")]
    path = tmp_path / "corpora.warc.gz"
    written = write_warc(path, pages, noise=True)
    records = list(read_warc(path))
    assert len(records) == len(pages) == len(written)
    assert [r["html"] for r in records] == [body for _, body, _ in pages]
