"""Hostile input: clean() and clean_text() never raise, never hang, and say why they gave up.

Time bounds here are deliberately generous (seconds where the work takes milliseconds):
they only catch hangs and catastrophic backtracking, not slowness.
"""

from __future__ import annotations

import codecs
import random
import re
import time
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from newsclean import Article, Options, Rules, clean, clean_text
from newsclean.page import authors, credits, dates, images, metadata, textrules, title
from newsclean.page.decode import decode_html, strip_controls
from newsclean.page.limits import MAX_ATTRIBUTES, MAX_DEPTH, bound_markup, nesting_depth
from newsclean.page.sniff import sniff_binary
from newsclean.rules import SiteRegex

URL = "https://example.com/news/storm"
SENTENCE = "The storm hit the coast on Monday night and cut power to thousands of homes. "
PARAGRAPHS = "".join(f"<p>{SENTENCE * 3} Paragraph {i}.</p>" for i in range(8))
PAGE = f"<html><head><title>Storm</title></head><body><article>{PARAGRAPHS}</article></body></html>"


def timed(call: Callable[[], Article], bound: float) -> Article:
    started = time.monotonic()
    article = call()
    spent = time.monotonic() - started
    assert spent < bound, f"took {spent:.1f} s, bound {bound} s"
    assert isinstance(article, Article)
    return article


def refused(article: Article, fragment: str) -> None:
    assert article.text == ""
    assert not article.is_article
    assert article.reason is not None and fragment in article.reason, article.reason


# ------------------------------------------------------------------ empty and binary


@pytest.mark.parametrize("data", [b"", "", "   ", " \n\t\r\n ", b"\xef\xbb\xbf", "\ufeff  \n"])
def test_empty_and_whitespace_only(data: str | bytes) -> None:
    refused(timed(lambda: clean(data, URL), 5), "empty input")


def test_empty_text_for_clean_text() -> None:
    refused(clean_text("  \n\n\t "), "empty input")


def _png() -> bytes:
    raw = b"".join(b"\x00" + bytes(random.Random(1).randrange(256) for _ in range(30)) for _ in range(10))
    return b"\x89PNG\r\n\x1a\n" + zlib.compress(raw) + b"IEND\xaeB`\x82"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog>> endobj\n" + bytes(range(256)) * 20, "PDF"),
        (_png(), "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 10, "JPEG"),
        (zlib.compress(PAGE.encode()), "binary"),
        (b"\x1f\x8b\x08\x00" + zlib.compress(PAGE.encode()), "gzip"),
        (random.Random(7).randbytes(200_000), "binary"),
        (bytes(range(256)) * 100, "binary"),
    ],
    ids=["pdf", "png", "jpeg", "deflate", "gzip", "random", "all-bytes"],
)
def test_binary_input_is_refused(data: bytes, fragment: str) -> None:
    refused(timed(lambda: clean(data, URL), 10), fragment)


def test_binary_decoded_as_str_is_refused() -> None:
    text = random.Random(3).randbytes(50_000).decode("latin-1")
    refused(clean(text, URL), "binary")


# ------------------------------------------------------------------ encodings


def test_invalid_utf8_is_decoded_with_replacement() -> None:
    data = PAGE.encode() .replace(b"storm", b"st\xff\xfeorm", 3) + b"\xc3\x28\xa0\xa1\xe2\x82"
    article = timed(lambda: clean(data, URL), 10)
    assert "thousands of homes" in article.text


def test_mixed_encodings_on_one_page() -> None:
    head = "<html><head><meta charset='utf-8'></head><body><article>"
    utf8 = "<p>Café society gathered in Zürich. " + SENTENCE * 3 + "</p>"
    latin = "<p>Le garçon répond à la question. " + SENTENCE * 3 + "</p>"
    data = head.encode() + utf8.encode("utf-8") * 3 + latin.encode("cp1252") * 3 + b"</article></body></html>"
    article = timed(lambda: clean(data, URL), 10)
    assert "thousands of homes" in article.text
    assert "\x00" not in article.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_and_without_bom(codec: str) -> None:
    page = PAGE.replace("Monday", "Montag in Köln")
    article = timed(lambda: clean(page.encode(codec), URL), 10)
    assert "Montag in Köln" in article.text
    assert article.reason is None


def test_utf16_bom_detected_in_decode() -> None:
    assert decode_html(codecs.BOM_UTF16_BE + "<p>é</p>".encode("utf-16-be")) == "<p>é</p>"
    assert decode_html("<p>é ü</p>".encode("utf-16-be")) == "<p>é ü</p>"


@pytest.mark.parametrize(
    ("declared", "codec"),
    [("utf-8", "cp1252"), ("iso-8859-1", "utf-8"), ("shift_jis", "utf-8"), ("utf-16", "utf-8"),
     ("no-such-charset", "utf-8"), ("utf-8", "koi8-r")],
)
def test_wrong_declared_charset(declared: str, codec: str) -> None:
    text = "Crème brûlée" if codec != "koi8-r" else (
        "Шторм обрушился на побережье в понедельник вечером. Тысячи домов остались без света, "
        "сообщили городские власти. Ремонт займёт несколько недель")
    page = f'<html><head><meta charset="{declared}"></head><body><article><p>{text}. {SENTENCE * 4}</p>'
    data = (page + "</article></body></html>").encode(codec)
    assert text in decode_html(data, declared=declared)
    assert text in timed(lambda: clean(data, URL), 10).text


# ------------------------------------------------------------------ control characters


def test_nul_and_control_characters_are_dropped() -> None:
    page = PAGE.replace("storm", "st\x00or\x01m").replace("coast", "co\x0bast\x1f\x7f")
    for data in (page, page.encode()):
        article = timed(lambda data=data: clean(data, URL), 10)
        assert "thousands of homes" in article.text
        assert not re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", article.text + article.html)


def test_lone_surrogates_and_noncharacters() -> None:
    page = PAGE.replace("Monday", "Mon\ud800day\uffff")
    article = timed(lambda: clean(page, URL), 10)
    assert "thousands of homes" in article.text
    article.to_json()  # serialisable: no lone surrogate left
    text = clean_text("Storm\ud83d hits\x00 the coast on Monday night, officials said.")
    assert text.to_json() and "\x00" not in text.text


def test_strip_controls_keeps_text() -> None:
    assert strip_controls("a\tb\nc\r\n") == "a\tb\nc\r\n"
    assert sniff_binary("<html>\x00" + "x" * 100) is None


# ------------------------------------------------------------------ size and shape


def test_fifty_megabytes_of_html_is_truncated_not_refused() -> None:
    filler = "<script>var x = 1;\n" + "x = x + 1;\n" * 4_600_000 + "</script>"
    data = f"<html><body><article>{PARAGRAPHS}{filler}</article></body></html>".encode()
    assert len(data) > 50_000_000
    article = timed(lambda: clean(data, URL), 120)
    assert article.diagnostics.truncated is True
    assert "thousands of homes" in article.text


def test_max_bytes_is_enforced() -> None:
    page = "<html><body><article>" + "".join(
        f"<p>Paragraph number {i}: {SENTENCE}</p>" for i in range(200)) + "</article></body></html>"
    article = clean(page, URL, options=Options(max_bytes=5_000))
    assert article.diagnostics.truncated is True
    assert "Paragraph number 2:" in article.text
    assert "Paragraph number 150:" not in article.text
    full = clean(page, URL)
    assert not full.diagnostics.truncated and "Paragraph number 150:" in full.text
    assert len(clean_text("word " * 1000, options=Options(max_bytes=100)).text) <= 100


def test_max_nodes_is_enforced() -> None:
    page = "<html><body><article>" + "".join(
        f"<p>Paragraph number {i}: {SENTENCE}</p>" for i in range(200)) + "</article></body></html>"
    article = clean(page, URL, options=Options(max_nodes=60))
    assert article.diagnostics.truncated is True
    assert "Paragraph number 10:" in article.text
    assert "Paragraph number 40:" not in article.text
    assert bound_markup("<b>" * 10, Options(max_nodes=3)).markup == "<b>" * 3


def test_timeout_is_enforced() -> None:
    article = clean(PAGE, URL, options=Options(timeout=1e-9))
    refused(article, "timed out")
    assert "Options.timeout" in (article.reason or "")
    assert clean(PAGE, URL, options=Options(timeout=None)).text


@pytest.mark.parametrize("closed", [True, False])
def test_nesting_100000_levels_deep(closed: bool) -> None:
    page = "<html><body>" + "<div>" * 100_000 + "<article>" + PARAGRAPHS + "</article>"
    page += ("</div>" * 100_000 if closed else "") + "</body></html>"
    assert nesting_depth(page) > MAX_DEPTH
    article = timed(lambda: clean(page, URL), 60)
    assert article.diagnostics.flattened
    assert "thousands of homes" in article.text


@pytest.mark.parametrize("levels", [400, MAX_DEPTH - 10])
@pytest.mark.parametrize("unit", ["<div>", "<section><div>", "<blockquote>"])
def test_nesting_too_deep_for_the_walk_is_flattened_after_parsing(levels: int, unit: str) -> None:
    # Under MAX_DEPTH the page is parsed as it is (bound_markup skips the estimate), but the
    # extractor's walk cannot follow the tree down: the page is flattened and cleaned again,
    # keeping its text (it used to come back empty past ~300 levels).
    nesting = unit * (levels // unit.count("<"))
    page = f"<html><body>{nesting}<article>{PARAGRAPHS}</article></body></html>"
    assert not bound_markup(page, Options()).flattened
    article = timed(lambda: clean(page, URL), 30)
    assert article.diagnostics.flattened
    assert article.text.count("thousands of homes") == 8 * 3, article.reason


@pytest.mark.parametrize("unit", ["<div></span>", "<li><dd>", "<option><p>", "<div/>", "<svg><g>"])
def test_nesting_hidden_by_stray_end_tags_or_implied_closes_is_seen(unit: str) -> None:
    # Stray end tags close nothing, and a <p> does not close an <option>: a parser nests
    # all of these, so the estimate must too (each of them used to read as depth 0-3).
    page = "<html><body>" + unit * 30_000 + "<article>" + PARAGRAPHS + "</article></body></html>"
    assert nesting_depth(page) > MAX_DEPTH
    article = timed(lambda: clean(page, URL), 60)
    assert article.diagnostics.flattened or article.reason


def test_nesting_that_cannot_be_flattened_is_refused() -> None:
    page = '<html><body>' + '<div title="<">' * 20_000 + PARAGRAPHS
    refused(timed(lambda: clean(page, URL), 60), "levels deep")


def test_tags_in_scripts_do_not_count_as_nesting() -> None:
    script = "<script>" + "if (a<b && c<d) { x = '<div>'; }\n" * 3000 + "</script>"
    assert nesting_depth(script + PAGE) < 10


def test_a_million_attributes() -> None:
    tag = "<div " + " ".join(f"data-a{i}=x" for i in range(1_000_000)) + ">"
    page = f"<html><body>{tag}<article>{PARAGRAPHS}</article></div></body></html>"
    refused(timed(lambda: clean(page, URL), 60), "attributes")
    quoted = "<div " + " ".join(f'a{i}=">"' for i in range(MAX_ATTRIBUTES + 5)) + ">"
    refused(clean(quoted + PAGE, URL), "attributes")


def test_many_attributes_below_the_limit_are_fine() -> None:
    tag = "<div " + " ".join(f"data-a{i}=x" for i in range(MAX_ATTRIBUTES // 2)) + ">"
    article = clean(f"<html><body>{tag}<article>{PARAGRAPHS}</article></div></body></html>", URL)
    assert "thousands of homes" in article.text


def test_huge_single_text_node() -> None:
    page = "<html><body><article><p>" + "word " * 2_000_000 + "</p></article></body></html>"
    article = timed(lambda: clean(page, URL), 90)
    # a reason only for no text, or for a page that is not an article (a text without sentences)
    assert article.reason is None or article.text == "" or not article.is_article
    text = timed(lambda: clean_text("word " * 2_000_000), 60)
    assert text.text.startswith("word word")


def test_unclosed_tags_everywhere() -> None:
    page = "<html><body><article>" + (
        f"<p><b><i><span><a href='/x'><font>{SENTENCE}<div><table><tr><td>" * 3000)
    article = timed(lambda: clean(page, URL), 90)
    assert "thousands of homes" in article.text


def test_frameset_page() -> None:
    page = ("<html><head><title>Frames</title></head><frameset cols='50%,50%'>"
            "<frame src='/left.html'><frame src='/right.html'><noframes>Your browser "
            "does not support frames.</noframes></frameset></html>")
    refused(timed(lambda: clean(page, URL), 10), "no article text")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ('<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>Storm'
         "</title><description>Storm hits</description></item></channel></rss>", "feed"),
        ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>'
         "<title>Storm</title></entry></feed>", "feed"),
        ('<?xml version="1.0"?><!-- a note --><note><to>Tove</to><body>Storm</body></note>', "XML"),
        ('<?xml version="1.0"?><urlset><url><loc>https://example.com/</loc></url></urlset>', "sitemap"),
        ('{"title": "Storm", "body": "<p>The storm hit the coast.</p>", "tags": ["a", "b"]}', "JSON"),
        ('[{"id": 1}, {"id": 2}]', "JSON"),
    ],
    ids=["rss", "atom", "xml", "sitemap", "json-with-markup", "json-list"],
)
def test_xml_rss_and_json_served_as_html(data: str, fragment: str) -> None:
    refused(timed(lambda: clean(data.encode(), URL), 10), fragment)


def test_xhtml_with_xml_prolog_is_still_a_page() -> None:
    page = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + PAGE.replace(
        "<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')
    assert "thousands of homes" in clean(page, URL).text


def test_page_of_only_scripts() -> None:
    page = "<html><head>" + "<script>document.write('<p>Injected paragraph text</p>');</script>" * 500
    page += "</head><body>" + "<script src='/app.js'></script><noscript>Enable JS</noscript>" * 50
    article = timed(lambda: clean(page + "</body></html>", URL), 30)
    refused(article, "no article text")
    assert "<script" not in article.html


@pytest.mark.parametrize(
    "data",
    ["<", "<<<<", "<!--", "<![CDATA[", "<" * 100_000, "<a " * 100_000, '<a b="' * 50_000,
     "</" * 100_000, "<!DOCTYPE" * 10_000, "&#" * 100_000, "&#x110000;" * 1000, "<p>" + "&amp" * 100_000],
    ids=["lt", "lts", "comment", "cdata", "many-lt", "open-tags", "open-quotes", "end-tags",
         "doctypes", "char-refs", "bad-refs", "entities"],
)
def test_broken_markup_fragments(data: str) -> None:
    article = timed(lambda: clean(data, URL), 60)
    assert "<script" not in article.html


@pytest.mark.parametrize("value", [None, 1, 1.5, ["<p>x</p>"], {"html": "x"}, object()])
def test_non_text_arguments_raise_a_clear_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="str or bytes"):
        clean(value)
    with pytest.raises(TypeError, match="takes str"):
        clean_text(value)


def test_bytearray_and_memoryview_are_accepted() -> None:
    assert "thousands of homes" in clean(bytearray(PAGE.encode()), URL).text
    assert "thousands of homes" in clean(memoryview(PAGE.encode()), URL).text


# ------------------------------------------------------------------ pathological regex inputs


def _rule_patterns() -> list[tuple[str, re.Pattern[str], bool]]:
    """(name, pattern, searched): rule patterns are only ever matched whole; module regexes searched."""
    compiled = Rules.default().compile("https://www.gbnews.com/news/x", "GB News")
    found = [(rule, pattern.regex if isinstance(pattern, SiteRegex) else pattern, False)
             for kind in (compiled.heading, compiled.credit, compiled.line) for rule, pattern in kind]
    found += [(f"site:{p.pattern[:30]}", p, False) for p in compiled.site_patterns]
    for module in (textrules, credits, images, metadata, title, authors, dates):
        found += [(f"{module.__name__}.{name}", value, True) for name, value in vars(module).items()
                  if isinstance(value, re.Pattern)]
    return found


_ADVERSARIAL = [
    " " * 100_000,
    "a " * 50_000,
    "word " * 20_000 + "!",
    "Photo " * 20_000,
    "photo: " * 15_000,
    "(" * 50_000,
    "(photo " * 15_000,
    "getty / " * 12_000,
    "more from " * 10_000,
    "sign up to " * 10_000,
    "-" * 100_000,
    "a" * 100_000 + "!",
    "By " + "Jane Doe and " * 8_000,
    "2024-01-01T" * 9_000,
    "\u00a0" * 100_000,
    "© " * 50_000,
]


@pytest.mark.parametrize(("rule", "pattern", "searched"), _rule_patterns(),
                         ids=lambda v: v if isinstance(v, str) else "")
def test_no_catastrophic_backtracking(rule: str, pattern: re.Pattern[str], searched: bool) -> None:
    started = time.monotonic()
    for text in _ADVERSARIAL:
        if searched:
            pattern.search(text)
        pattern.fullmatch(text)
        pattern.match(text[:300])
    spent = time.monotonic() - started
    assert spent < 10, f"{rule}: {spent:.1f} s on adversarial strings"


def test_text_rules_on_adversarial_lines_finish() -> None:
    text = "\n".join(_ADVERSARIAL) + "\n" + "\n".join(f"More from site {i}" for i in range(10_000))
    timed(lambda: clean_text(text, url="https://www.gbnews.com/x"), 120)


def test_many_repeated_lines_finish() -> None:
    lines = "".join(f"Line {i} of a long list with several words in it.\n" for i in range(30_000))
    article = timed(lambda: clean_text(lines + lines), 60)
    assert article.text.count("Line 29999 of") == 1


@pytest.mark.parametrize("block", ["p", "div"])
def test_thousands_of_links_in_one_block_keep_their_text(block: str) -> None:
    # past body.MAX_RUN_TAGS tags, the run reaches trafilatura as text (its reading is more than
    # linear in a run's tags; tests/test_scaling.py times the family)
    from newsclean.page.body import MAX_RUN_TAGS, flatten_long_runs

    links = "".join(f'<a href="/l{i}">link {i}</a> and ' for i in range(MAX_RUN_TAGS))
    page = f"<html><body><article><{block}>{links}</{block}><p>After.</p></article></body></html>"
    article = clean(page)
    assert article.diagnostics.extractor == "trafilatura"
    assert article.text.startswith("link 0 and link 1 and")
    assert f"link {MAX_RUN_TAGS - 1}" in article.text
    flat = flatten_long_runs(page)
    assert "<a " not in flat and flat.startswith(f"<html><body><article><{block}>link 0 and link 1")
    assert flat.endswith("<p>After.</p></article></body></html>")
