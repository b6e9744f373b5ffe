"""Issue #15, the I/O families: one record never stops a pipeline; nothing is lost or let in.

One section per family of the hostile-input pass: strings at the boundary, documents lost
or turned into garbage, output over input, what is let in, and the smaller ones. The last
test is the mixed poison batch: every family at once through ``newsclean batch``.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpcore
import httpx
import pytest
from batch_support import fixture_pages, write_warc

import newsclean
from newsclean import AddressNotAllowedError, FetchError, FetchOptions, NotHTMLError, clean, clean_text
from newsclean.bulk.pool import clean_record
from newsclean.bulk.sinks import JsonlSink, ParquetSink, completed_ids, partial_path
from newsclean.bulk.sources import read_folder, read_inputs, read_jsonl, read_warc
from newsclean.cli import main
from newsclean.page.decode import declared_codec, decode_html
from newsclean.page.images import largest_candidate, srcset_candidates
from newsclean.web.transport import make_client

SURROGATE = chr(0xD800)
PARAGRAPH = "The harbour bridge reopened on Monday after eight months of repairs to its deck. " * 3
PAGE = (
    "<html><head><title>Bridge reopens</title></head><body><article><h1>Bridge reopens</h1>"
    f"<p>{PARAGRAPH}</p><p>{PARAGRAPH} Second.</p></article></body></html>"
)


def page(head: str = "", body: str = "") -> str:
    """:data:`PAGE` with extra markup in its head and at the start of its article."""
    return PAGE.replace("</head>", head + "</head>").replace("<article>", "<article>" + body)


def encodable(value: Any) -> None:
    """``value`` (an Article dict, a record) can be written as UTF-8 JSON."""
    json.dumps(value, ensure_ascii=False).encode("utf-8")


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(3).randbytes(3000)


# -- strings clean at the boundary ------------------------------------------------------------


def test_surrogates_and_controls_never_reach_an_article_field() -> None:
    jsonld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Bridge\\ud800 reopens",'
        ' "description": "Gale\\u0000 force\\u0007", "author": {"@type": "Person", "name": "Jo\\udfff Roe"},'
        ' "image": "https://x.test/a\\ud800.jpg"}</script>'
    )
    article = clean(page(head=jsonld, body="<p>Odd &#1;char&#x7f; and &#xD800; here.</p>"), "https://x.test/n")
    assert article.title == "Bridge reopens"
    assert article.lead_image == "https://x.test/a.jpg"
    assert article.description == "Gale force"
    assert article.authors == ("Jo Roe",)
    bad = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 127]} | {SURROGATE, chr(0xDFFF)}
    data = article.to_dict()
    assert not bad & set(json.dumps(data, ensure_ascii=False))
    encodable(data)
    assert "Oddchar" in article.text or "Odd char" in article.text


def test_clean_text_and_refused_pages_are_scrubbed_too() -> None:
    article = clean_text(f"A storm hit{SURROGATE} the coast\x00 on Monday night and cut the power.")
    assert SURROGATE not in article.text and "\x00" not in article.text
    refused = clean(b"%PDF-1.7 ...", url=f"https://x.test/{SURROGATE}")
    assert refused.url == "https://x.test/" and refused.reason
    encodable(refused.to_dict())


def test_markdown_escapes_html_and_drops_unsafe_links() -> None:
    body = (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; is what the attacker typed, said the report.</p>"
        "<p>Click [here](javascript:alert(document.cookie)) or ![x](data:text/html,evil) for more.</p>"
        "<p>The entity &amp;#106;avascript: and a [safe link](https://example.com/a) stay as they are.</p>"
    )
    article = clean(page(body=body), "https://x.test/n")
    markdown = article.markdown
    assert "<script" not in markdown and "&lt;script>" in markdown
    assert "](javascript:" not in markdown and "](data:" not in markdown
    assert "[safe link](https://example.com/a)" in markdown
    assert "&amp;#106;" in markdown  # an entity a renderer would decode stays text
    assert "<script>alert(1)</script>" in article.text  # the text itself is unchanged


def test_code_blocks_cannot_close_their_fence() -> None:
    block = newsclean.Block("code", "```\n<script>x()</script>\n```")
    assert block.to_markdown().startswith("````\n") and block.to_markdown().endswith("\n````")


# -- URL fields carry only http(s) URLs ---------------------------------------------------------


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x()",
                                    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD4=",
                                    "file:///etc/passwd"])
def test_unsafe_schemes_never_reach_url_fields(scheme: str) -> None:
    head = (f'<link rel="canonical" href="{scheme}"><meta property="og:image" content="{scheme}">'
            f'<meta property="og:url" content="{scheme}">')
    body = f'<figure><img src="{scheme}"><figcaption>A caption</figcaption></figure>'
    article = clean(page(head=head, body=body), "https://x.test/news/1")
    for url in (article.canonical_url, article.lead_image, *(i.url for i in article.images)):
        # gone, or (a tab squeezed into a space by the meta reader) a harmless relative path
        assert url is None or url.startswith("https://x.test/news/"), url


def test_http_urls_are_kept_and_made_absolute() -> None:
    head = '<link rel="canonical" href="/news/1"><meta property="og:image" content="//cdn.x.test/a.jpg">'
    article = clean(page(head=head), "https://x.test/news/1?x=1")
    assert article.canonical_url == "https://x.test/news/1"
    assert article.lead_image == "https://cdn.x.test/a.jpg"


# -- srcset ----------------------------------------------------------------------------------------


def test_srcset_urls_with_commas_and_the_largest_candidate() -> None:
    srcset = ("https://res.cloudinary.com/demo/image/upload/w_320,c_fill,q_auto/a.jpg 320w, "
              "https://res.cloudinary.com/demo/image/upload/w_1280,c_fill,q_auto/a.jpg 1280w, "
              "https://res.cloudinary.com/demo/image/upload/w_640,c_fill,q_auto/a.jpg 640w")
    assert [c[1] for c in srcset_candidates(srcset)] == [320.0, 1280.0, 640.0]
    assert largest_candidate(srcset) == "https://res.cloudinary.com/demo/image/upload/w_1280,c_fill,q_auto/a.jpg"
    body = f'<figure><img srcset="{srcset}"><figcaption>Harbour at dawn</figcaption></figure>'
    article = clean(page(body=body), "https://x.test/news/1")
    assert article.images[0].url.endswith("w_1280,c_fill,q_auto/a.jpg")


@pytest.mark.parametrize(
    ("srcset", "largest"),
    [
        ("a.jpg, b.jpg 2x, c.jpg 1.5x", "b.jpg"),
        ("a.jpg 100w 50h, b.jpg 200w", "b.jpg"),
        ("  ,, a.jpg,b.jpg 3x", "a.jpg,b.jpg"),  # no space after the comma: one URL
        ("a.jpg 1x,b.jpg 3x", "b.jpg"),
        ("a.jpg 2q, b.jpg", "b.jpg"),  # an invalid descriptor drops its candidate
        ("data:image/png;base64,AAA= 1x", "data:image/png;base64,AAA="),
        ("", None),
    ],
)
def test_srcset_parsing_follows_the_html_standard(srcset: str, largest: str | None) -> None:
    assert largest_candidate(srcset) == largest


# -- decoding -----------------------------------------------------------------------------------------


_SENTENCES = {
    "ja": "港の橋は八か月の修理を終えて月曜日に再開した。住民は喜んでいる。",
    "zh": "港口大橋在八個月的維修後於星期一重新開放。",
    "ko": "항구 다리가 월요일에 다시 열렸다.",
}


def _multibyte_page(codec: str, language: str = "ja", size: int = 200_000) -> tuple[bytes, str]:
    """A page of more than 64 KiB in ``codec`` whose 64 KiB sample ends inside a character."""
    sentence = _SENTENCES[language]
    text = "<p>" + sentence * (size // len(sentence.encode(codec))) + "</p>"
    for pad in range(4):
        html = f"<html><head><title>{sentence[:2]}</title></head><body>{' ' * pad}{text}</body></html>"
        data = html.encode(codec)
        try:
            data[:65536].decode(codec)
        except UnicodeDecodeError:
            return data, html
    raise AssertionError("no padding splits a character at 64 KiB")


@pytest.mark.parametrize(("codec", "language"), [("shift_jis", "ja"), ("euc-jp", "ja"), ("gbk", "zh"),
                                                 ("big5", "zh"), ("euc-kr", "ko")])
def test_a_large_page_in_a_multibyte_charset_is_decoded_as_declared(codec: str, language: str) -> None:
    data, html = _multibyte_page(codec, language)
    assert decode_html(data, declared=codec) == html


def test_labels_mean_what_the_web_says_and_utf7_is_refused() -> None:
    assert declared_codec("x-sjis") == "cp932" and declared_codec("latin1") == "cp1252"
    assert declared_codec("GB2312") == "gb18030" and declared_codec("iso-8859-9") == "cp1254"
    for label in ("utf-7", "UTF7", "unicode-escape", "raw_unicode_escape", "rot13", "base64", "punycode"):
        assert declared_codec(label) is None, label
    smuggled = b"+ADw-script+AD4-alert(1)+ADw-/script+AD4-"
    head = b'<html><head><meta charset="utf-7"></head><body><p>'
    text = decode_html(head + smuggled + b"</p></body></html>")
    assert "<script>" not in text and "+ADw-script" in text
    assert "<script>" not in decode_html(b"<p>" + smuggled + b"</p>", declared="utf-7")


# -- binary payloads are recognised from the bytes, before any decoding -----------------------


@pytest.mark.parametrize(
    ("payload", "kind"),
    [(_png(), "PNG"), (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 8, "JPEG"),
     (gzip.compress(gzip.compress(PAGE.encode())), "gzip")],
    ids=["png", "jpeg", "double-gzip"],
)
def test_binary_labelled_html_with_a_charset_is_no_article(payload: bytes, kind: str) -> None:
    result = clean_record({"id": "b", "url": "https://x.test/b", "html": payload, "charset": "utf-8"})
    assert result["is_article"] is False and kind in result["reason"] and result["text"] == ""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=payload, headers={"content-type": "text/html; charset=utf-8"})

    options = FetchOptions(respect_robots=False, per_host_delay=0, retries=0)
    with pytest.raises(NotHTMLError, match=kind):
        newsclean.fetch("https://x.test/b", fetch_options=options,
                        client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))


# -- JSON Lines: one record never stops the run ----------------------------------------------


def test_deeply_nested_jsonl_line_is_one_failure_record(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = '{"html": ' + "[" * 200_000 + "]" * 200_000 + "}"
    path.write_text(json.dumps({"id": "a", "html": PAGE}) + "\n" + deep + "\n"
                    + json.dumps({"id": "c", "html": PAGE}) + "\n")
    records = list(read_jsonl(path))
    assert [r["id"] for r in records] == ["a", f"{path}:2", "c"]
    assert "nested too deeply" in records[1]["error"]


def test_surrogates_in_ids_and_urls_are_scrubbed(tmp_path: Path) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": "x\\ud800y", "url": "https://x.test/\\udfff\\u0000a", "html": "<p>Hi</p>"}\n')
    record = next(read_jsonl(path))
    assert record["id"] == "xy" and record["url"] == "https://x.test/a"


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.parquet"])
def test_a_record_no_writer_can_encode_becomes_its_failure_record(tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    sink = ParquetSink(out) if name.endswith(".parquet") else JsonlSink(out)
    with sink:
        sink.write({"id": "ok", "url": None, "error": "fine"})
        sink.write({"id": f"bad{SURROGATE}", "url": None, "title": f"x{SURROGATE}", "text": "t"})
        sink.write({"id": "nan", "url": None, "diagnostics": {"slow": float("nan")}, "text": "t"})
        sink.write({"id": "last", "url": None, "error": "fine"})
    rows = _read_output(out)
    assert [r["id"] for r in rows][::3] == ["ok", "last"] and rows[1]["id"] == "bad"
    assert "could not be written" in rows[1]["error"]
    if not name.endswith(".parquet"):
        assert "could not be written" in rows[2]["error"]  # NaN is no JSON


def _read_output(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_table(path).to_pylist())
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return [json.loads(line) for line in handle]


# -- WARC: damage costs only what it hit, and says where ---------------------------------------


def _warc_pages(n: int) -> list[tuple[str | None, bytes, str | None]]:
    return [(f"https://x.test/{i}", PAGE.replace("Monday", f"day {i}").encode(), "utf-8") for i in range(n)]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_garbage_inside_a_warc_costs_one_record_and_names_its_offset(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    pages = _warc_pages(62)
    write_warc(path, pages)
    clean_bytes = path.read_bytes()
    for seed in range(12):
        rnd = random.Random(seed)
        at = rnd.randrange(len(clean_bytes) // 10, len(clean_bytes) * 9 // 10)
        path.write_bytes(clean_bytes[:at] + rnd.randbytes(5000) + clean_bytes[at:])
        records = list(read_warc(path))
        good = [r for r in records if "error" not in r]
        failures = [r for r in records if "error" in r]
        assert len(good) >= 61, (seed, len(good))
        assert failures, seed  # never silent
        for record in good:  # and what comes out is what went in
            number = int(record["url"].rsplit("/", 1)[1])
            assert record["html"] == pages[number][1], seed
        assert any("damaged at byte" in f["error"] or "digest" in f["error"] for f in failures), failures


def _warc_with(path: Path, payloads: list[tuple[str, bytes, list[tuple[str, str]]]]) -> list[str]:
    """A WARC of responses (url, payload as stored, HTTP headers); their record ids."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    ids = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for url, payload, headers in payloads:
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
            )
            writer.write_record(record)
            ids.append(record.rec_headers.get_header("WARC-Record-ID"))
    return ids


def test_brotli_payloads_are_decoded(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    path = tmp_path / "br.warc.gz"
    _warc_with(path, [("https://x.test/br", brotli.compress(PAGE.encode()),
                       [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "br")])])
    (record,) = read_warc(path)
    assert record["html"] == PAGE.encode()


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_compression_bomb_in_a_warc_is_one_failure_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, coding: str
) -> None:
    from newsclean.bulk import sources

    compress = gzip.compress if coding == "gzip" else pytest.importorskip("brotli").compress
    monkeypatch.setattr(sources, "MAX_RECORD_BYTES", 100_000)
    bomb = compress(b"<p>" + b"a" * 5_000_000)  # ~5 MB from a few KB: 50x the cap
    path = tmp_path / "bomb.warc.gz"
    headers = [("Content-Type", "text/html"), ("Content-Encoding", coding)]
    ids = _warc_with(path, [("https://x.test/bomb", bomb, headers),
                            ("https://x.test/ok", compress(PAGE.encode()), headers)])
    bad, good = read_warc(path)
    assert bad["id"] == ids[0] and "larger than 100,000 bytes" in bad["error"]
    assert good["html"] == PAGE.encode()


def test_a_cut_off_brotli_payload_is_a_failure(tmp_path: Path) -> None:
    brotli = pytest.importorskip("brotli")
    path = tmp_path / "cut.warc.gz"
    _warc_with(path, [("https://x.test/cut", brotli.compress(PAGE.encode() * 50)[:-20],
                       [("Content-Type", "text/html"), ("Content-Encoding", "br")])])
    (record,) = read_warc(path)
    assert "unreadable WARC payload" in record["error"]


def test_compression_bombs_in_folders_and_jsonl_are_failures_not_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsclean.bulk import sources

    monkeypatch.setattr(sources, "MAX_RECORD_BYTES", 100_000)
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    (folder / "b.html").write_text(PAGE)
    bomb, ok = read_folder(folder)
    assert "larger than" in bomb["error"] and ok["html"] == PAGE.encode()
    lines = [json.dumps({"html": "a" * 5_000_000}), json.dumps({"html": PAGE}), ""]
    (tmp_path / "p.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))
    bomb, ok = read_jsonl(tmp_path / "p.jsonl.gz")
    assert bomb["id"].endswith(":1") and "larger than" in bomb["error"]
    assert ok["id"].endswith(":2") and ok["html"] == PAGE


def test_without_brotli_a_brotli_payload_is_a_failure_not_garbage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warcio.bufferedreaders import BufferedReader

    monkeypatch.setattr(BufferedReader, "DECOMPRESSORS",
                        {k: v for k, v in BufferedReader.DECOMPRESSORS.items() if k != "br"})
    path = tmp_path / "br.warc.gz"
    _warc_with(path, [
        ("https://x.test/br", b"\x8b\x05\x80<html>not really brotli", [("Content-Type", "text/html"),
                                                                      ("Content-Encoding", "br")]),
        ("https://x.test/zstd", b"(\xb5/\xfd", [("Content-Type", "text/html"), ("Content-Encoding", "zstd")]),
    ])
    records = list(read_warc(path))
    assert "brotli" in records[0]["error"] and "Content-Encoding" in records[1]["error"]


def test_a_missing_extra_is_found_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(json.dumps({"html": PAGE}) + "\n")
    warc = tmp_path / "b.warc.gz"
    write_warc(warc, _warc_pages(1))
    monkeypatch.setitem(sys.modules, "warcio", None)  # import warcio now fails
    with pytest.raises(newsclean.InputError, match="needs warcio"):
        read_inputs([jsonl, warc])
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(jsonl), str(warc), "-o", str(out), "-q"]) == 2
    assert "needs warcio" in capsys.readouterr().err
    assert not out.exists() and not Path(partial_path(out)).exists()


# -- ids unique across inputs; resume compares normalised paths -----------------------------


def test_two_folders_with_the_same_file_names_give_distinct_ids(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.html").write_text(PAGE)
    ids = [r["id"] for r in read_inputs([tmp_path / "a", tmp_path / "b"])]
    assert len(set(ids)) == 2 and ids[0].endswith("a/story.html") and ids[1].endswith("b/story.html")
    assert [r["id"] for r in read_folder(tmp_path / "a")] == ["story.html"]  # one folder: as before


def test_resume_with_another_spelling_of_the_same_path_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.jsonl").write_text("".join(json.dumps({"html": PAGE}) + "\n" for _ in range(6)))
    assert main(["batch", "x.jsonl", "-o", "out.jsonl", "--workers", "1", "-q"]) == 0
    capsys.readouterr()
    assert main(["batch", "./x.jsonl", "-o", "out.jsonl", "--resume", "--workers", "1"]) == 0
    assert "0 processed, 0 failed, 6 skipped" in capsys.readouterr().err
    assert len(Path("out.jsonl").read_text().splitlines()) == 6
    # an output written by an older version spelled the path as given: still matched
    old = [json.dumps({"id": f"./x.jsonl:{n}", "url": None, "error": "e"}) + "\n" for n in range(1, 7)]
    Path("old.jsonl").write_text("".join(old))
    assert main(["batch", "x.jsonl", "-o", "old.jsonl", "--resume", "--workers", "1", "-q"]) == 0
    assert len(Path("old.jsonl").read_text().splitlines()) == 6


# -- the output never overwrites an input; it is whole or absent ------------------------------


def test_batch_output_that_is_an_input_is_refused_before_anything_is_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = tmp_path / "pages.jsonl"
    pages.write_text(json.dumps({"html": PAGE}) + "\n")
    before = pages.read_bytes()
    link = tmp_path / "link.jsonl"
    os.link(pages, link)
    for output in (pages, link, tmp_path / "." / "pages.jsonl"):
        for extra in ([], ["--resume"]):
            assert main(["batch", str(pages), "-o", str(output), "-q", *extra]) == 2
            assert "would be overwritten" in capsys.readouterr().err
    assert pages.read_bytes() == before and not Path(partial_path(pages)).exists()


def test_clean_output_that_is_an_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = tmp_path / "same.html"
    same.write_text(PAGE)
    assert main([str(same), "-o", str(same)]) == 2
    listed = tmp_path / "files.txt"
    listed.write_text(f"{same}\n")
    assert main(["--files-from", str(listed), "-o", str(listed)]) == 2
    assert capsys.readouterr().err.count("would be overwritten") == 2
    assert same.read_text() == PAGE and listed.read_text() == f"{same}\n"


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.parquet"])
def test_an_interrupted_batch_leaves_a_partial_output_that_resume_completes(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsclean.cli.batch as command

    pytest.importorskip("pyarrow")
    source = tmp_path / "pages.jsonl"
    source.write_text("".join(json.dumps({"id": str(n), "html": PAGE}) + "\n" for n in range(10)))
    real = command.batch

    def interrupted(records: Iterator[dict[str, Any]], **kwargs: Any) -> Iterator[dict[str, Any]]:
        for n, result in enumerate(real(records, **kwargs)):
            if n == 4:
                raise KeyboardInterrupt
            yield result

    out = tmp_path / name
    monkeypatch.setattr(command, "batch", interrupted)
    assert main(["batch", str(source), "-o", str(out), "--workers", "1", "-q"]) == 130
    assert not out.exists()  # whole or absent
    assert completed_ids(out) == {"0", "1", "2", "3"}
    monkeypatch.setattr(command, "batch", real)
    assert main(["batch", str(source), "-o", str(out), "--workers", "1", "-q", "--resume"]) == 0
    assert [r["id"] for r in _read_output(out)] == [str(n) for n in range(10)]
    assert not Path(partial_path(out)).exists()


# -- the address guard holds under DNS rebinding --------------------------------------------


class _Recording(httpcore.AsyncNetworkBackend):
    """A network that answers every connection with ``PAGE`` and records where it went."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []
        self.sent: list[bytes] = []
        self.server_names: list[str | None] = []

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None, socket_options: Any = None) -> Any:
        self.connected.append((host, port))
        body = PAGE.encode()
        reply = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        return _Stream([reply], self)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _Stream(httpcore.AsyncMockStream):
    def __init__(self, buffer: list[bytes], network: _Recording) -> None:
        super().__init__(buffer)
        self.network = network

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.network.sent.append(buffer)

    async def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                        timeout: float | None = None) -> Any:
        self.network.server_names.append(server_name_of(server_hostname))
        return self


def server_name_of(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _rebinding() -> tuple[Any, list[str]]:
    """A resolver that answers a public address first and the loopback address after."""
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["93.184.216.34"] if len(asked) == 1 else ["127.0.0.1"]

    return resolve, asked


GUARDED = FetchOptions(allow_private_addresses=False, respect_robots=False, per_host_delay=0, http2=False,
                       retries=0)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_guard_connects_to_the_address_it_checked(scheme: str) -> None:
    resolve, asked = _rebinding()
    network = _Recording()
    client = make_client(GUARDED, resolver=resolve, backend=network)
    article = newsclean.fetch(f"{scheme}://rebind.test/news", fetch_options=GUARDED, client=client)
    assert article.title == "Bridge reopens"
    port = 443 if scheme == "https" else 80
    assert network.connected == [("93.184.216.34", port)] and asked == ["rebind.test"]  # resolved once
    assert b"Host: rebind.test\r\n" in network.sent[0]  # the Host header keeps the name
    if scheme == "https":
        assert network.server_names == ["rebind.test"]  # and so does TLS (SNI, certificate)
    # the second answer, loopback, is refused and never connected to
    with pytest.raises(AddressNotAllowedError, match=r"127\.0\.0\.1"):
        newsclean.fetch(f"{scheme}://rebind.test/news", fetch_options=GUARDED,
                        client=make_client(GUARDED, resolver=resolve, backend=network))
    assert network.connected == [("93.184.216.34", port)]


def test_a_client_passed_in_is_checked_before_the_request_with_the_same_resolver() -> None:
    resolve, asked = _rebinding()
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})

    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))

    async def run() -> None:
        from newsclean.web.session import Session

        async with Session(GUARDED, client, resolver=resolve) as session:
            await session.get("http://rebind.test/a")  # public: fetched
            with pytest.raises(AddressNotAllowedError):
                await session.get("http://rebind.test/b")  # now loopback: refused

    asyncio.run(run())
    assert seen == ["rebind.test"] and asked == ["rebind.test", "rebind.test"]


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:99999/", "https://exa mple.com:x/"])
def test_a_malformed_url_is_a_fetch_error_that_says_so(url: str) -> None:
    with pytest.raises(FetchError, match="malformed URL"):
        newsclean.fetch(url, fetch_options=FetchOptions(retries=0))
    (failure,) = newsclean.fetch_many([url])
    assert isinstance(failure, newsclean.FetchFailure) and "unexpected" not in failure.reason


# -- the CLI's -i reads URLs only ------------------------------------------------------------------


def test_input_list_reads_urls_only_and_files_need_files_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.html"
    secret.write_text(PAGE.replace("Bridge reopens", "Secret"))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{secret}\n/etc/passwd\n")
    out = tmp_path / "out.jsonl"
    assert main(["-i", str(urls), "--format", "json", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["source"] for line in lines] == [str(secret), "/etc/passwd"]
    assert all("not an http(s) URL" in line["error"] for line in lines) and "Secret" not in out.read_text()
    assert err.count("not an http(s) URL") == 2
    files = tmp_path / "files.txt"
    files.write_text(f"# local pages\n{secret}\n{tmp_path / 'missing.html'}\n")
    assert main(["--files-from", str(files), "--format", "json", "-o", str(out)]) == 1
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["title"] == "Secret" and "no such file" in lines[1]["error"]


def test_cli_results_come_in_input_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from _newsserver import news_server

    local = tmp_path / "local.html"
    local.write_text(PAGE)
    with news_server() as (base, _):
        sources = [f"{base}/page/1", str(local), f"{base}/missing", f"{base}/page/2", "-"]
        sys_stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(PAGE.encode()))
        try:
            assert main([*sources, "--format", "json", "--no-robots", "-q"]) == 1
        finally:
            sys.stdin = sys_stdin
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["source"] for line in lines] == sources
    assert "error" in lines[2] and all("title" in lines[i] for i in (0, 1, 3, 4))


# -- the mixed poison batch ---------------------------------------------------------------------------


def poison_inputs(root: Path) -> tuple[list[str], dict[str, int]]:
    """Inputs holding every poison record of the issue beside good ones; what must come out
    (``articles``: records with text, ``failures``: records with ``error``, ``refused``:
    records with ``is_article`` false and a reason)."""
    pages = fixture_pages()
    good = [body.decode("latin-1" if cs == "iso-8859-1" else "utf-8") for _, _, body, cs in pages]
    jsonld = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Storm\\ud800 hits",'
              ' "author": {"@type": "Person", "name": "Jo\\u0000 Roe"}}</script>')
    lines = [json.dumps({"id": f"good-{n}", "url": f"https://x.test/{n}", "html": html})
             for n, html in enumerate(good)]
    lines += [
        json.dumps({"id": "jsonld-surrogate", "html": page(head=jsonld)}),
        '{"id": "id-\\ud800", "html": ' + json.dumps(PAGE) + "}",
        '{"id": "url-surrogate", "url": "https://x.test/\\udfff", "html": ' + json.dumps(PAGE) + "}",
        json.dumps({"id": "nul-title", "html": PAGE.replace("<title>Bridge", "<title>Bri\u0000dge&#1;")}),
        '{"html": ' + "[" * 100_000 + "]" * 100_000 + "}",  # RecursionError
        "not json {",
        json.dumps({"id": "no-html", "url": "https://x.test/none"}),
    ]
    jsonl = root / "pages.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folders = []
    for name in ("a", "b"):  # the same file names in two folders
        folder = root / name
        folder.mkdir()
        for file, _, body, _ in pages[:2]:
            (folder / file).write_bytes(body)
        folders.append(str(folder))
    # a gzipped WARC with 5 KB of garbage in its middle
    crawl = root / "crawl.warc.gz"
    write_warc(crawl, _warc_pages(20))
    data = crawl.read_bytes()
    middle = data.index(b"\x1f\x8b\x08", len(data) // 2)
    crawl.write_bytes(data[:middle] + random.Random(5).randbytes(5000) + data[middle:])
    # binary payloads labelled text/html with a charset, brotli, and a big Shift_JIS page
    sjis, _ = _multibyte_page("shift_jis")
    payloads = [
        ("https://x.test/png", _png(), [("Content-Type", "text/html; charset=utf-8")]),
        ("https://x.test/gz2", gzip.compress(gzip.compress(PAGE.encode())),
         [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]),
        ("https://x.test/sjis", sjis, [("Content-Type", "text/html; charset=Shift_JIS")]),
    ]
    try:
        import brotli

        payloads.append(("https://x.test/br", brotli.compress(PAGE.encode()),
                         [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "br")]))
    except ImportError:  # pragma: no cover - brotli comes with the warc extra
        pass
    special = root / "special.warc.gz"
    _warc_with(special, payloads)
    inputs = [str(jsonl), *folders, str(crawl), str(special)]
    # the garbage sits between two gzip members: every WARC record is kept, one failure says where
    articles = len(good) + 4 + 4 + 20 + 1 + (len(payloads) - 3)
    return inputs, {"articles": articles, "failures": 3 + 1, "refused": 2}


def test_a_mixed_poison_batch_keeps_every_good_record_and_fails_each_bad_one_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs, expected = poison_inputs(tmp_path)
    for name in ("out.jsonl.gz", "out.parquet"):
        out = tmp_path / name
        assert main(["batch", *inputs, "-o", str(out), "--workers", "2", "--timeout", "30"]) == 0
        rows = _read_output(out)
        failures = [r for r in rows if r.get("error")]
        articles = [r for r in rows if not r.get("error") and r["text"]]
        refused = [r for r in rows if not r.get("error") and not r["text"]]
        assert len(articles) == expected["articles"], [r["id"] for r in refused + failures]
        assert len(failures) == expected["failures"], failures
        assert len(refused) == expected["refused"] and all(not r["is_article"] for r in refused)
        assert {("PNG" in r["reason"]) or ("gzip" in r["reason"]) for r in refused} == {True}
        assert len({r["id"] for r in rows}) == len(rows)  # ids unique across inputs
        by_id = {r["id"]: r for r in rows}
        assert by_id["jsonld-surrogate"]["authors"] == ["Jo Roe"] and "id-" in by_id
        assert by_id["url-surrogate"]["url"] == "https://x.test/"
        assert by_id["nul-title"]["title"] == "Bridge reopens"
        sjis = next(r for r in rows if r["url"] == "https://x.test/sjis")
        assert "港の橋は八か月の修理" in sjis["text"]
        assert any("damaged at byte" in r["error"] for r in failures)
        summary = capsys.readouterr().err.strip().splitlines()[-1]
        assert f"{len(rows)} processed, {len(failures)} failed" in summary
        # --resume adds nothing twice
        assert main(["batch", *inputs, "-o", str(out), "--resume", "--workers", "2"]) == 0
        assert f"0 processed, 0 failed, {len(rows)} skipped" in capsys.readouterr().err
        assert len(_read_output(out)) == len(rows)


def test_cli_json_output_survives_a_file_name_that_is_no_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.path.join(os.fsencode(tmp_path), b"caf\xe9.html")  # not UTF-8: a surrogate in str
    with open(name, "wb") as handle:
        handle.write(page(head='<script type="application/ld+json">{"@type": "NewsArticle", '
                               '"description": "x\\ud800y"}</script>').encode())
    source = os.fsdecode(name)
    assert main(["--format", "json", source, source]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["description"] for line in lines] == ["xy", "xy"]
    assert lines[0]["source"] == str(tmp_path / "caf.html")


@pytest.mark.parametrize("payload", [_png(), gzip.compress(gzip.compress(PAGE.encode()))],
                         ids=["png", "gzip2"])
def test_binary_carried_in_a_jsonl_string_is_recognised(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "binary.jsonl"
    path.write_text(json.dumps({"id": "b", "html": payload.decode("latin-1")}) + "\n")
    (record,) = read_jsonl(path)
    result = clean_record(record)
    assert result["is_article"] is False and ("PNG" in result["reason"] or "gzip" in result["reason"])
