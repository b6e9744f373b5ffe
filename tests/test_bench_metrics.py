"""The benchmark's scoring, corpus reading, reporting and runner on small hand-made inputs.

Every expected number is derived by hand in the comment next to it.
"""

from __future__ import annotations

import gzip
import json
import math
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks import metrics as m
from benchmarks.corpus import CorpusError, Doc, gate_subset, load_corpus
from benchmarks.evaluate import headline_metric, per_doc, score
from benchmarks.extractors import Output, date_only, decode_page, page_lang, split_authors
from benchmarks.gate import GateSpec, gate_score, gate_score_from_rows, load_floors, write_floors
from benchmarks.report import corpus_table, trails
from benchmarks.runner import PageTask, _guarded, _on_alarm, load_adapters, timing_pass

# --- body: shingles --------------------------------------------------------------------


def test_tokens_are_word_runs_with_case_kept() -> None:
    assert m.tokens("Don't stop—now! Ça va?") == ["Don", "t", "stop", "now", "Ça", "va"]
    assert m.tokens(None) == []


def test_shingles_are_a_multiset() -> None:
    # "a b c d a b c d": 8 tokens -> 5 shingles abcd, bcda, cdab, dabc, abcd
    sh = m.shingles("a b c d a b c d")
    assert sum(sh.values()) == 5
    assert sh[("a", "b", "c", "d")] == 2
    assert sh[("b", "c", "d", "a")] == 1


def test_shingle_counts_partial_overlap() -> None:
    # truth abcd bcde cdef, prediction abcd bcde cdex: TP 2, FP 1, FN 1 of 4
    c = m.shingle_counts("a b c d e f", "a b c d e x")
    assert (c.tp, c.fp, c.fn, c.exact) == (0.5, 0.25, 0.25, False)


def test_shingle_counts_clip_repeats() -> None:
    # truth has abcd once; prediction abcd twice plus bcda, cdab, dabc: TP 1, FP 4, FN 0 of 5
    c = m.shingle_counts("a b c d", "a b c d a b c d")
    assert (c.tp, c.fp, c.fn) == (0.2, 0.8, 0.0)


def test_shingle_counts_are_case_sensitive_and_short_texts_work() -> None:
    # one shingle each, different case: FP 1, FN 1 of 2
    c = m.shingle_counts("The Cat sat down", "the cat sat down")
    assert (c.tp, c.fp, c.fn) == (0.0, 0.5, 0.5)
    short = m.shingle_counts("Hello world", "Hello, world!")  # 2 tokens: one shingle, equal
    assert (short.tp, short.exact) == (1.0, True)


def test_body_scores_means_over_qualifying_documents() -> None:
    docs = [
        m.shingle_counts("a b c d e f", "a b c d e x"),  # P 0.5/0.75 = 2/3, R 2/3
        m.shingle_counts("a b c d e", ""),  # empty output: no P term, R 0
        m.shingle_counts("", ""),  # nothing either way: no P, no R term; tokens equal
    ]
    s = m.body_scores(docs)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == pytest.approx(1 / 3)  # (2/3 + 0) / 2
    assert s.f1 == pytest.approx(4 / 9)  # 2 * 2/3 * 1/3 / (2/3 + 1/3)
    assert s.accuracy == pytest.approx(1 / 3)
    assert s.n == 3


def test_body_scores_undefined_precision() -> None:
    s = m.body_scores([m.shingle_counts("a b c d", "")])
    assert s.precision is None and s.f1 is None and s.recall == 0.0


# --- snippets ---------------------------------------------------------------------------


def test_snippets_normalise_whitespace_soft_hyphens_and_nfc() -> None:
    text = "Der Stra\u00adßenbau   begann.\nIm Café gab es Kuchen."
    # with: both found (soft hyphen, spaces; NFD e + combining accent); without: one found
    c = m.snippet_counts(text, ["Straßenbau begann", "Cafe\u0301 gab"], ["Kuchen", "Werbung"])
    assert c == m.SnippetCounts(tp=2, fn=0, fp=1)


def test_snippet_scores_sum_over_the_corpus() -> None:
    docs = [m.SnippetCounts(tp=2, fn=1, fp=0), m.SnippetCounts(tp=0, fn=1, fp=2)]
    s = m.snippet_scores(docs)  # TP 2, FN 2, FP 2
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    assert m.snippet_scores([]).f1 is None


# --- metadata ---------------------------------------------------------------------------


def test_title_normalisation() -> None:
    assert m.title_match("“Only One” Lyrics – PJ Morton", '"only one" lyrics - pj  morton')
    assert not m.title_match("Storm hits coast", "Storm hits coast | The Daily")
    assert m.title_match("Storm", None) is False
    assert m.title_match(None, "Storm") is None


def test_author_set_f1() -> None:
    # truth {a, b, c}, prediction {a, d}: TP 1 -> 2 * 1 / (3 + 2) = 0.4
    assert m.author_f1(["Ann A", "Bob B", "Cy C"], ["ann a", "Dee D"]) == pytest.approx(0.4)
    assert m.author_f1(["Ann A"], ["Ann  A"]) == 1.0
    assert m.author_f1([], ["Ann"]) is None


def test_date_exact_day() -> None:
    assert m.date_match("2019-10-16", "2019-10-16T23:00:00+00:00")
    assert not m.date_match("2019-10-16", "2019-10-17")
    assert m.date_match(None, "2019-10-16") is None


# --- boilerplate leakage ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Photo: Jane Roe/Reuters", "credit"),
        ("JIM WATSON/AFP/Getty Images", "credit"),
        ("REUTERS/Kevin Lamarque", "credit"),
        ("Bild: dpa", "credit"),
        ("© 2011 Cable News Network", "credit"),
        ("Most Read", "widget"),
        ("RELATED STORIES", "widget"),
        ("Don't miss:", "widget"),
        ("Advertisement", "widget"),
        ("Lesen Sie auch:", "widget"),
        ("À lire aussi", "widget"),
        ("Leia também", "widget"),
        ("Sign up", "widget"),
        ("Share this article", "share"),
        ("Share on Facebook", "share"),
        ("Facebook | Twitter | Email", "share"),
    ],
)
def test_boilerplate_patterns_match(line: str, kind: str) -> None:
    assert m.boilerplate_lines(line) == [(kind, line)]


@pytest.mark.parametrize(
    "line",
    [
        "LONDON (Reuters) - Shares fell on Monday as investors weighed the data.",
        "The copyright dispute went to court in May.",
        "Readers shared the photo widely on Facebook after the match.",
        "Related parties must disclose their holdings, the regulator said.",
        "Trending downwards for the third quarter, the index closed at 4,000.",
        "x" * 170 + " Getty Images",  # longer than a credit line can be
    ],
)
def test_boilerplate_patterns_leave_prose(line: str) -> None:
    assert m.boilerplate_lines(line) == []


def test_leaked_lines_ignore_what_the_truth_keeps() -> None:
    out = "Storm hits.\nPhoto: AP\nMost Read\nShare"
    truth = "Storm hits.\n\nPhoto: AP"
    assert m.leaked_lines(out, truth) == [("widget", "Most Read"), ("share", "Share")]


# --- statistics ------------------------------------------------------------------------


def test_bootstrap_se_of_a_mean() -> None:
    # 50 zeros and 50 ones: SE of the mean = sqrt(0.25 / 100) = 0.05
    items = [0.0, 1.0] * 50
    se = m.bootstrap_se(items, lambda xs: sum(xs) / len(xs), rounds=500, seed=3)
    assert se is not None and 0.04 < se < 0.06
    again = m.bootstrap_se(items, lambda xs: sum(xs) / len(xs), rounds=500, seed=3)
    assert se == again  # deterministic
    assert m.bootstrap_se([], lambda xs: 0.0) is None


def test_percentile_interpolates() -> None:
    # p95 of 10..50: position 0.95 * 4 = 3.8 -> 40 + 0.8 * 10 = 48
    assert m.percentile([50, 10, 40, 20, 30], 95) == pytest.approx(48.0)
    assert m.percentile([50, 10, 40, 20, 30], 50) == 30


# --- adapters' helpers -----------------------------------------------------------------


def test_adapter_helpers() -> None:
    assert decode_page(b'<meta charset="windows-1252"><p>\x93Hi\x94</p>').endswith("“Hi”</p>")
    assert decode_page("<p>\u00e9</p>".encode()) == "<p>é</p>"
    assert page_lang(b"<html lang='fr'>") == "fr" and page_lang(b"<html>") is None
    assert date_only("2020-02-03 10:00") == "2020-02-03"
    assert split_authors(["A", " ", "B"]) == ("A", "B")


def test_unknown_adapter_is_reported_not_raised() -> None:
    loaded, failed = load_adapters(["no-such-extractor"])
    assert loaded == {} and failed == {"no-such-extractor": "unknown extractor"}


def test_soft_time_limit_interrupts_a_slow_call() -> None:
    old = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        t0 = time.monotonic()

        def slow(html: bytes, url: str | None) -> Output:
            time.sleep(5)
            return Output("x")

        out, _, error = _guarded(slow, b"", None, 0.2)
        assert out is None and error == "timeout"
        assert time.monotonic() - t0 < 2
        out, _, error = _guarded(lambda h, u: Output(h.decode()), b"ok", None, 5)
        assert out == Output("ok") and error is None
        out, _, error = _guarded(lambda h, u: 1 / 0, b"", None, 5)  # type: ignore[arg-type,return-value]
        assert out is None and error is not None and error.startswith("ZeroDivisionError")
    finally:
        signal.signal(signal.SIGALRM, old)


# --- corpus ------------------------------------------------------------------------------


def _corpus(root: Path, records: list[dict[str, object]], pages: dict[str, bytes]) -> Path:
    (root / "pages").mkdir(parents=True)
    for pid, html in pages.items():
        (root / "pages" / f"{pid}.html.gz").write_bytes(gzip.compress(html))
    (root / "truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return root


def test_load_corpus_sorts_and_limits(tmp_path: Path) -> None:
    root = _corpus(
        tmp_path / "toy",
        [{"id": "b", "body": "B text", "synthetic": True}, {"id": "a", "with": ["x"], "authors": ["Ann"]}],
        {"a": b"<p>a</p>", "b": b"<p>b</p>"},
    )
    c = load_corpus(root)
    assert c.name == "toy" and [d.id for d in c.docs] == ["a", "b"]
    assert c.docs[0].authors == ("Ann",) and c.docs[1].synthetic
    assert [d.id for d in c.headline_docs()] == ["a"]
    assert c.docs[1].html() == b"<p>b</p>"
    assert [d.id for d in load_corpus(root, limit=1).docs] == ["a"]


def test_speed_is_split_by_the_page_types_a_corpus_gives(tmp_path: Path) -> None:
    from benchmarks.evaluate import score
    from benchmarks.extractors import Output

    types = {"a": "article", "b": "listing", "c": "article"}
    records = [{"id": i, "body": i.upper(), "page_type": t} for i, t in types.items()]
    root = _corpus(tmp_path / "typed", records, {i: b"<p>x</p>" for i in types})
    docs = load_corpus(root).docs
    assert [d.page_type for d in docs] == ["article", "listing", "article"]
    outputs = {i: Output(i.upper(), fallback=i == "a") for i in types}
    speed = score(docs, outputs, {"a": 10.0, "b": 100.0, "c": 30.0}, bootstrap_rounds=0)["speed"]
    assert speed["docs_per_s"] == 21.43 and speed["fallback"] == 0.3333
    articles = speed["by_type"]["article"]
    assert articles["docs_per_s"] == 50.0 and articles["fallback"] == 0.5
    assert speed["by_type"]["listing"]["n"] == 1
    untyped = [replace(d, page_type=None) for d in docs]
    assert "by_type" not in score(untyped, outputs, {"a": 10.0}, bootstrap_rounds=0)["speed"]


def test_load_corpus_rejects_bad_folders(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not a corpus"):
        load_corpus(tmp_path)
    root = _corpus(tmp_path / "missing", [{"id": "a"}], {})
    with pytest.raises(CorpusError, match="missing"):
        load_corpus(root)
    bad = _corpus(tmp_path / "bad", [{"id": "a", "with": "not a list"}], {"a": b""})
    with pytest.raises(CorpusError, match="list of strings"):
        load_corpus(bad)


def test_gate_subset_every_third() -> None:
    from benchmarks.corpus import Corpus

    docs = tuple(Doc(f"{i:02d}", Path("."), synthetic=(i == 1)) for i in range(8))
    # real docs 00 02 03 04 05 06 07 -> indexes 0, 3, 6 -> 00, 04, 07
    assert [d.id for d in gate_subset(Corpus("c", Path("."), docs), 3)] == ["00", "04", "07"]
    with pytest.raises(ValueError):
        gate_subset(Corpus("c", Path("."), docs), 0)


# --- evaluation and report --------------------------------------------------------------


def test_score_counts_failures_and_speed() -> None:
    docs = [
        Doc("a", Path("."), with_=("storm hit",), without=("Most Read",), title="Storm"),
        Doc("b", Path("."), with_=("rain fell",)),
        Doc("c", Path("."), with_=("wind blew",)),
    ]
    outs = {"a": Output("The storm hit.\nMost Read", title="Storm"), "b": Output("Rain fell.")}
    s = score(docs, outs, {"a": 10.0, "b": 30.0}, errors={"c": "timeout"}, bootstrap_rounds=0)
    # TP: a; FN: b (case differs), c (no output); FP: a's "Most Read"
    assert (s["snippets"]["tp"], s["snippets"]["fn"], s["snippets"]["fp"]) == (1, 2, 1)
    assert s["snippets"]["leaky"] == round(1 / 3, 4)  # a's output holds its `without` snippet
    no_without = [Doc("b", Path("."), with_=("rain fell",))]
    assert "leaky" not in score(no_without, outs, {}, bootstrap_rounds=0)["snippets"]
    assert s["speed"]["docs_per_s"] == 50.0  # 2 pages in 0.04 s
    assert s["speed"]["median_ms"] == 20.0
    assert (s["timeouts"], s["errors"], s["empty"]) == (1, 0, 1)
    assert s["leakage"]["docs"] == 1 and s["leakage"]["by_kind"] == {"widget": 1}
    assert s["metadata"]["title"] == {"accuracy": 1.0, "n": 1}
    assert score(docs, outs, {}, meta_fields=(), bootstrap_rounds=0)["metadata"]["title"]["accuracy"] is None
    assert headline_metric(docs) == "snippet_f1"


def test_per_doc_lists_misses_and_leaks() -> None:
    doc = Doc("a", Path("."), with_=("alpha", "beta"), without=("gamma",))
    row = per_doc(doc, Output("alpha gamma\nAdvertisement"), 1.5, None)
    assert row["missing"] == ["beta"] and row["leaked"] == ["gamma"]
    assert row["boilerplate"] == [["widget", "Advertisement"]]


def _row(f1: float, p: float, r: float, dps: float) -> dict[str, object]:
    return {
        "body": {"n": 0},
        "snippets": {"n": 10, "f1": f1, "precision": p, "recall": r, "se": {"f1": 0.01}},
        "metadata": {"title": {"n": 0}, "authors": {"n": 0}, "date": {"n": 0}},
        "leakage": {"share": 0.1},
        "speed": {"docs_per_s": dps, "median_ms": 10.0, "p95_ms": 20.0},
        "rss": {},
        "errors": 0,
        "timeouts": 0,
        "version": "1",
    }


def test_table_and_trails_name_the_better_peer() -> None:
    summary = {
        "corpus": "toy",
        "headline_metric": "snippet_f1",
        "pages": 10,
        "headline_pages": 10,
        "extractors": {"newsclean": _row(0.9, 0.95, 0.86, 40.0), "peer": _row(0.88, 0.8, 0.97, 60.0)},
        "skipped": {},
    }
    table = corpus_table(summary).splitlines()
    assert table[2].startswith("| newsclean 1 | **0.900** ± 0.010 | 0.950 | 0.860 |")
    assert table[3].startswith("| peer 1 | 0.880 ± 0.010 |")
    assert trails(summary) == [
        "- snippet recall: newsclean 0.860; better: peer 0.970",
        "- docs/s: newsclean 40.0; better: peer 60.0",
    ]
    summary["extractors"]["newsclean"]["snippets"]["leaky"] = 0.05  # type: ignore[index]
    summary["extractors"]["peer"]["snippets"]["leaky"] = 0.02  # type: ignore[index]
    assert "| Snippet R | Leaky pages |" in corpus_table(summary).splitlines()[0]
    assert "- pages leaking a `without` snippet: newsclean 5.0%; better: peer 2.0%" in trails(summary)


# --- gate and runner ---------------------------------------------------------------------


def test_gate_score_and_floors_roundtrip(tmp_path: Path) -> None:
    root = _corpus(
        tmp_path / "toy",
        [{"id": "a", "with": ["one"], "without": ["ad"]}, {"id": "b", "with": ["two"]}],
        {"a": b"one ad", "b": b"three"},
    )
    spec = GateSpec("toy", "snippet_f1", every=1, floor=0.0)
    value, n = gate_score(load_corpus(root), spec, lambda html, url: html.decode())
    # TP 1 (one), FP 1 (ad), FN 1 (two): P = R = F1 = 0.5
    assert (value, n) == (0.5, 2)
    path = tmp_path / "floors.json"
    write_floors({"toy": GateSpec("toy", "snippet_f1", 3, 0.0, measured=0.8567)}, path, margin=0.01)
    got = load_floors(path)["toy"]
    assert math.isclose(got.floor, 0.846) and got.every == 3 and got.check(0.8465) and not got.check(0.845)


def test_gate_from_run_rows_equals_direct_scoring(tmp_path: Path) -> None:
    root = _corpus(
        tmp_path / "toy",
        [{"id": "a", "body": "one two three four five"}, {"id": "b", "body": "six seven eight nine"}],
        {"a": b"one two three four five six", "b": b""},
    )
    corpus = load_corpus(root)
    spec = GateSpec("toy", "body_f1", every=1, floor=0.0)
    direct, _ = gate_score(corpus, spec, lambda html, url: html.decode())
    rows = {d.id: per_doc(d, Output(d.html().decode()), 1.0, None) for d in corpus.docs}
    from_rows, n = gate_score_from_rows(corpus, spec, rows)
    # a: truth 2 shingles, output 3 -> TP 2, FP 1: P 2/3, R 1; b: empty output -> R 0
    # P = 2/3, R = 1/2, F1 = 2 * 2/3 * 1/2 / (2/3 + 1/2) = 4/7
    assert n == 2
    assert direct == pytest.approx(4 / 7) and from_rows == pytest.approx(direct, abs=1e-6)


def test_timing_pass_runs_every_extractor_on_every_page(tmp_path: Path) -> None:
    page = b"<html><body><article><h1>T</h1>" + b"<p>Words of the article body here.</p>" * 20
    root = _corpus(tmp_path / "toy", [{"id": f"p{i}"} for i in range(3)], {f"p{i}": page for i in range(3)})
    docs = load_corpus(root).docs
    tasks = [PageTask(i, str(d.path), None, ("newsclean", "nope")) for i, d in enumerate(docs)]
    results, failures = timing_pass(tasks, ["newsclean", "nope"], jobs=1)
    assert failures == {"nope": "unknown extractor"}
    assert sorted(results) == [(0, "newsclean"), (1, "newsclean"), (2, "newsclean")]
    for res in results.values():
        assert res.error is None and res.ms is not None and res.ms > 0
        assert "Words of the article body here." in res.output.text


def test_bundled_sample_is_a_corpus_whose_snippets_are_on_its_pages() -> None:
    """``python -m benchmarks run`` with no corpus scores benchmarks/sample/: it must load, and
    every snippet and body paragraph of its truth must be text of its page."""
    from selectolax.lexbor import LexborHTMLParser

    from benchmarks.corpus import SAMPLE

    corpus = load_corpus(SAMPLE)
    assert len(corpus) >= 10 and corpus.headline_docs() == corpus.docs
    for doc in corpus.docs:
        page = LexborHTMLParser(doc.html().decode("utf-8"))
        visible = " ".join(page.body.text(separator=" ").split()) if page.body else ""
        parts = [*doc.with_, *doc.without, *(doc.body.split("\n\n") if doc.body else [])]
        assert parts, doc.id
        for part in parts:
            assert " ".join(part.split()) in visible, (doc.id, part)


def test_docs_page_ends_with_the_method_section() -> None:
    """docs/benchmarks.md is generated; its method section is benchmarks/method.py's."""
    from benchmarks.method import METHOD

    page = (Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert page.endswith(METHOD)


def test_a_run_records_which_newsclean_build_it_timed() -> None:
    # run.json's version says whether the stages timed were compiled (an install from `pip
    # install .`) or interpreted (this source tree): their speeds differ by ~15%
    import newsclean.page.native as native
    from benchmarks.__main__ import _version

    build = "interpreted" if str(native.__file__).endswith(".py") else "compiled"
    version, _, recorded = _version("newsclean").rpartition(" ")
    assert recorded == build and version.startswith("0.")
