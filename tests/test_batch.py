"""The pool, the writers, resuming and the ``newsclean batch`` command."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_support import corpora_dir, corpora_path, corpus_pages, fixture_pages, write_warc

from benchmarks.corpus import corpora_missing
from newsclean import Article, Block, Diagnostics, Image, Removal
from newsclean.bulk.pool import RecordCleaner, batch, clean_record
from newsclean.bulk.sinks import completed_ids, open_sink, record_schema
from newsclean.cli.batch import main
from newsclean.options import Options
from newsclean.rules import Rules

ROOT = Path(__file__).resolve().parents[1]


# -- injectable per-document functions (module level: they travel to the workers) --


def echo(record: dict[str, Any]) -> dict[str, Any]:
    """Stands in for clean_record; misbehaves on request, by id."""
    if record["id"] == "hang":
        time.sleep(3600)
    if record["id"] == "die":
        os._exit(3)
    if record["id"] == "raise":
        raise RuntimeError("parser exploded")
    time.sleep(0.02)  # a page's worth of work, so that every worker of the pool gets some
    return {"id": record["id"], "size": len(record["html"]), "pid": os.getpid()}


def hostile_clean(record: dict[str, Any]) -> dict[str, Any]:
    """The real clean_record, except that the record with id 'hang' never returns."""
    if record["id"] == "hang":
        time.sleep(3600)
    return clean_record(record)


def _records(n: int, **special: int) -> list[dict[str, Any]]:
    records = [{"id": str(i), "url": None, "html": "x" * (i + 1)} for i in range(n)]
    for name, position in special.items():
        records[position]["id"] = name
    return records


# -- the pool ---------------------------------------------------------------------


def test_results_in_input_order_with_failures_in_place() -> None:
    records = _records(24, hang=4, die=9, raise_=15)
    records[15]["id"] = "raise"
    records.insert(12, {"id": "unreadable", "url": None, "error": "WARC unreadable"})
    started = time.monotonic()
    results = list(batch(records, workers=2, options=Options(timeout=1.0), func=echo))
    assert time.monotonic() - started < 30
    assert [r["id"] for r in results] == [r["id"] for r in records]
    errors = {r["id"]: r["error"] for r in results if "error" in r}
    assert set(errors) == {"hang", "die", "raise", "unreadable"}
    assert "timed out" in errors["hang"] and "Options.timeout 1 s" in errors["hang"]
    assert "worker died" in errors["die"]
    assert errors["raise"] == "RuntimeError: parser exploded"
    assert errors["unreadable"] == "WARC unreadable"
    ok = [r for r in results if "error" not in r]
    assert all(r["size"] == int(r["id"]) + 1 for r in ok)
    # the killed workers were replaced: documents after them were still cleaned
    assert {r["id"] for r in ok} >= {"10", "20", "23"}


def test_unordered_yields_everything_and_the_slow_one_last() -> None:
    records = _records(12, hang=2)
    results = list(batch(records, workers=2, options=Options(timeout=1.0), ordered=False, func=echo))
    assert sorted(r["id"] for r in results) == sorted(r["id"] for r in records)
    assert results[-1]["id"] == "hang" and "timed out" in results[-1]["error"]


def test_feeds_the_pool_a_bounded_window() -> None:
    pulled = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for record in _records(200):
            pulled += 1
            yield record

    results = batch(source(), workers=2, chunk_size=3, options=Options(timeout=10.0), func=echo)
    first = next(results)
    assert first["id"] == "0"
    assert pulled <= 4 * 2 * 3 + 1  # in flight, plus finished results waiting for "0"
    rest = list(results)
    assert len(rest) == 199 and pulled == 200


def test_a_slow_page_in_order_does_not_idle_the_other_worker() -> None:
    pulled = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal pulled
        for record in [{"id": "hang", "url": None, "html": "x"}, *_records(40)]:
            pulled += 1
            yield record

    results = batch(source(), workers=2, chunk_size=2, options=Options(timeout=2.0), func=echo)
    first = next(results)
    assert "timed out" in first["error"]
    # while "hang" ran, the other worker went on past the window of 4 in flight,
    # up to 4 windows of finished results waiting behind it
    assert 2 * 2 + 1 < pulled <= 4 * 2 * 2 + 1
    assert [r["id"] for r in results] == [str(i) for i in range(40)]


def test_one_worker_without_timeout_runs_in_process() -> None:
    records = _records(4)
    records[1]["id"] = "raise"
    results = list(batch(records, workers=1, options=Options(timeout=None), func=echo))
    assert [r.get("pid") for r in results] == [os.getpid(), None, os.getpid(), os.getpid()]
    assert results[1] == {"id": "raise", "url": None, "error": "RuntimeError: parser exploded"}


def test_two_workers_use_two_processes() -> None:
    results = list(batch(_records(40), workers=2, options=Options(timeout=10.0), func=echo))
    pids = {r["pid"] for r in results}
    assert len(pids) == 2 and os.getpid() not in pids


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"workers": 0}, "workers"), ({"chunk_size": 0}, "chunk_size"), ({"rules": Rules.default(), "func": len},
                                                                       "func")],
)
def test_bad_arguments_are_value_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        batch([], **kwargs)


def test_clean_record_returns_article_fields_or_a_failure() -> None:
    _, url, body, charset = fixture_pages()[2]  # latin-1 bytes, charset from the header
    out = clean_record({"id": "b", "url": url, "html": body, "charset": charset})
    assert out["id"] == "b" and out["url"] == url and "error" not in out
    assert "Stadtbücherei öffnet" in out["text"]
    assert Article.from_dict(out).text == out["text"]
    assert clean_record({"id": "n", "url": None, "html": None})["error"] == "record has no html"
    assert clean_record({"id": "e", "error": "unreadable"}) == {
        "id": "e",
        "url": None,
        "error": "unreadable",
    }


def test_hostile_documents_cost_only_their_own_record() -> None:
    pages = fixture_pages()
    normal = [{"id": name, "url": url, "html": body, "charset": cs} for name, url, body, cs in pages]
    huge = b"<html><body>" + b"<div><p>filler words in a very long page</p></div>" * 1_050_000
    assert len(huge) > 50_000_000
    hostile = [
        {"id": "hang", "url": None, "html": "<p>never returns</p>"},
        {"id": "huge", "url": None, "html": huge},
        {"id": "binary", "url": None, "html": bytes(range(256)) * 4000},
    ]
    records = normal[:2] + hostile + normal[2:]
    results = list(batch(records, workers=2, options=Options(timeout=5.0), func=hostile_clean))
    assert [r["id"] for r in results] == [r["id"] for r in records]
    by_id = {r["id"]: r for r in results}
    assert "timed out" in by_id["hang"]["error"]
    for name, *_ in pages:
        assert "error" not in by_id[name] and by_id[name]["word_count"] > 20
    # the huge and binary pages give a failure record, an empty Article or one cut to the
    # limits (diagnostics.truncated), never a stop
    for name in ("huge", "binary"):
        record = by_id[name]
        assert ("error" in record or record["reason"] or record["text"] == ""
                or record["diagnostics"]["truncated"])


# -- writers and resuming ---------------------------------------------------------


def _sample_article() -> Article:
    return Article(
        url="https://a.example/x",
        title="Title",
        authors=("A. Writer",),
        blocks=(
            Block("heading", "Intro", level=2),
            Block("paragraph", "Body text."),
            Block("table", "a b", rows=(("a", "b"),)),
        ),
        images=(Image("https://a.example/i.jpg", caption="A caption", credit="Reuters"),),
        removed=(Removal("generic.most-read", "widget", "Most Read"),),
        diagnostics=Diagnostics(truncated=True),
    )


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.parquet"])
def test_writers_round_trip_articles_and_failures(tmp_path: Path, name: str) -> None:
    if name.endswith(".parquet"):
        pytest.importorskip("pyarrow", reason="needs the parquet extra: pip install -e '.[parquet]'")
    article = _sample_article()
    rows = [{"id": "a", **article.to_dict()}, {"id": "f", "url": None, "error": "timed out"}]
    with open_sink(tmp_path / name) as sink:
        for row in rows:
            sink.write(row)
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        back = pq.read_table(tmp_path / name).to_pylist()
        assert not (tmp_path / (name + ".partial")).exists()
    else:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(tmp_path / name, "rt", encoding="utf-8") as handle:
            back = [json.loads(line) for line in handle]
    assert Article.from_dict(back[0]) == article
    assert back[0]["text"] == article.text and back[0]["diagnostics"]["truncated"] is True
    assert Article.from_dict(back[0]).diagnostics == article.diagnostics
    assert back[1]["error"] == "timed out"
    assert completed_ids(tmp_path / name) == {"a", "f"}


def test_parquet_schema_has_every_article_field() -> None:
    pytest.importorskip("pyarrow", reason="needs the parquet extra: pip install -e '.[parquet]'")
    names = {field.name for field in record_schema()}
    assert set(_sample_article().to_dict()) | {"id", "error"} == names


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz"])
def test_completed_ids_repairs_a_half_written_tail(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    lines = b"".join(json.dumps({"id": str(i), "text": "t" * 500}).encode() + b"\n" for i in range(50))
    cut = lines[: len(lines) - 700]  # the last record is half-written
    path.write_bytes(gzip.compress(lines)[:-40] if name.endswith(".gz") else cut)
    done = completed_ids(path)
    assert done and done < {str(i) for i in range(50)}
    with open_sink(path, append=True) as sink:
        sink.write({"id": "new"})
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        ids = [json.loads(line)["id"] for line in handle]
    assert ids == [*sorted(done, key=int), "new"]


def test_parquet_append_keeps_earlier_rows(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="needs the parquet extra: pip install -e '.[parquet]'")
    path = tmp_path / "out.parquet"
    with open_sink(path) as sink:
        sink.write({"id": "1", "url": None, "error": "x"})
    with open_sink(path, append=True) as sink:
        sink.write({"id": "2", "url": None, "error": "y"})
    assert completed_ids(path) == {"1", "2"}


# -- the command ------------------------------------------------------------------


def _inputs(tmp_path: Path) -> tuple[list[str], list[str]]:
    """A JSON Lines file, a folder and a WARC from the fixture pages; their ids in order."""
    pages = fixture_pages()
    jsonl = tmp_path / "pages.jsonl.gz"
    with gzip.open(jsonl, "wt", encoding="utf-8") as handle:
        for name, url, body, _ in pages[:2]:
            handle.write(json.dumps({"id": f"j-{name}", "url": url, "html": body.decode("latin-1")}))
            handle.write("\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, _, body, _ in pages:
        (folder / name).write_bytes(body)
    warc = tmp_path / "crawl.warc.gz"
    written = write_warc(warc, [(url, body, cs) for _, url, body, cs in pages])
    ids = [f"j-{n}" for n, *_ in pages[:2]] + sorted(n for n, *_ in pages) + [w[0] for w in written]
    return [str(jsonl), str(folder), str(warc)], ids


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def test_command_cleans_every_input_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs, ids = _inputs(tmp_path)
    out = tmp_path / "out.jsonl.gz"
    assert main([*inputs, "-o", str(out), "--workers", "2", "--timeout", "30"]) == 0
    results = _read_jsonl(out)
    assert [r["id"] for r in results] == ids
    assert not [r for r in results if "error" in r]
    by_url = {r["url"]: r for r in results if r["url"]}
    assert "expansion joints" in by_url["https://coastal.example/news/harbour-bridge-repairs"]["text"]
    assert "Stadtbücherei öffnet" in by_url["https://stadt.example/buecherei"]["text"]
    summary = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"{len(ids)} processed, 0 failed" in summary and "docs/s" in summary


def test_command_resume_skips_what_is_done(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs, ids = _inputs(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main([inputs[0], "-o", str(out), "--workers", "1", "-q"]) == 0
    with open(out, "ab") as handle:  # an interrupted run left half a line
        handle.write(b'{"id": "half')
    assert main([*inputs, "-o", str(out), "--resume", "--unordered", "--workers", "2"]) == 0
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in results) == sorted(ids)
    assert "2 skipped" in capsys.readouterr().err


def test_command_writes_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="needs the parquet extra: pip install -e '.[parquet]'")
    inputs, ids = _inputs(tmp_path)
    out = tmp_path / "out.parquet"
    assert main([inputs[2], "-o", str(out), "-q"]) == 0
    table = pq.read_table(out)
    assert table.column("id").to_pylist() == ids[-4:]
    assert all(n > 20 for n in table.column("word_count").to_pylist())


def test_command_reports_bad_input_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "in.jsonl").write_text('{"html": "<p>x</p>"}\n')
    assert main([str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "unsupported output" in capsys.readouterr().err


def test_command_runs_as_a_module(tmp_path: Path) -> None:
    inputs, _ = _inputs(tmp_path)
    out = tmp_path / "out.jsonl.gz"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "newsclean.cli.batch", inputs[1], "-o", str(out), "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 processed, 0 failed" in proc.stderr
    assert [r["id"] for r in _read_jsonl(out)] == sorted(n for n, *_ in fixture_pages())


def test_rules_file_is_checked_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in.jsonl").write_text('{"html": "<p>x</p>"}\n')
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml")
    code = main([str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "o.jsonl"), "--rules", str(bad)])
    assert code == 2
    assert "bad.toml" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_record_cleaner_pickles_small() -> None:
    import pickle

    cleaner = RecordCleaner(options=Options(favor="precision"))
    assert pickle.loads(pickle.dumps(cleaner)) == cleaner
    assert len(pickle.dumps(cleaner)) < 300
    with_rules = RecordCleaner(rules=Rules.default())
    assert pickle.loads(pickle.dumps(with_rules)) == with_rules


@pytest.mark.skipif(corpora_dir() is None, reason=corpora_missing(corpora_path()))
def test_corpora_warc_round_trips_through_the_batch(tmp_path: Path) -> None:
    # the reader test takes every page of both corpora; cleaning them all is slow, so 40
    pages = [(url, body, None) for _, url, body in corpus_pages("readability", limit=20)]
    pages += [(url, body, None) for _, url, body in corpus_pages("goose", limit=20)]
    warc = tmp_path / "corpora.warc.gz"
    written = write_warc(warc, pages)
    out = tmp_path / "out.jsonl.gz"
    assert main([str(warc), "-o", str(out), "-q", "--workers", "2", "--unordered"]) == 0
    results = _read_jsonl(out)
    assert sorted(r["id"] for r in results) == sorted(w[0] for w in written)
    assert sum("error" in r for r in results) == 0
    assert sum(r["word_count"] > 0 for r in results) > 0.9 * len(results)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_counts_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.jsonl"
    good = fixture_pages()[0][2].decode("utf-8")
    source.write_text(
        json.dumps({"id": "ok", "html": good}) + "\nnot json\n" + json.dumps({"id": "x"}) + "\n",
        encoding="utf-8",
    )
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([str(source), "-o", str(tmp_path / "o.jsonl"), "--workers", "1"]) == 0
    shown = terminal.getvalue()
    assert "3doc" in shown and "doc/s" in shown and "failed=2" in shown
    assert "3 processed, 2 failed" in shown.rstrip().splitlines()[-1]
