"""article.html never carries script: the classic XSS payloads through sanitize() and clean()."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from newsclean import clean
from newsclean.article import Block
from newsclean.page.strings import safe_url, scrub
from newsclean.render import sanitize, to_html

PAYLOADS = [
    line for line in (Path(__file__).parent / "fixtures" / "xss.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
FORBIDDEN_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "form", "input",
                  "button", "base", "link", "meta", "svg", "math", "applet", "body", "bgsound", "noscript"}
BAD_URL = re.compile(r"^(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "dynsrc", "lowsrc", "data", "poster"}
SENTENCE = "The storm hit the coast on Monday night and cut power to thousands of homes. "


def assert_safe(html: str) -> None:
    assert "<script" not in html.lower()
    tree = LexborHTMLParser(f"<html><body>{html}</body></html>")
    for node in tree.body.traverse() if tree.body is not None else []:
        if not node.is_element_node or node.tag == "body":
            continue
        assert node.tag not in FORBIDDEN_TAGS, (node.tag, html)
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (name, html)
            assert name.lower() != "style", html
            if name.lower() in URL_ATTRIBUTES and value is not None:
                cleaned = re.sub(r"[\x00-\x20]", "", value)
                assert not BAD_URL.match(cleaned), (name, value)
                assert cleaned.startswith(("http://", "https://", "mailto:")), (name, value)


def test_the_payload_collection_is_large() -> None:
    assert len(PAYLOADS) >= 60


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sanitize_removes_payload(payload: str) -> None:
    assert_safe(sanitize(payload, base_url="https://example.com/news/a"))
    assert_safe(sanitize(payload))


def test_sanitize_all_payloads_at_once() -> None:
    assert_safe(sanitize("\n".join(PAYLOADS), base_url="https://example.com/"))


def test_sanitize_keeps_safe_markup_and_makes_links_absolute() -> None:
    html = sanitize('<p>See <a href="/story/2" title="Next">the next story</a> and '
                    '<img src="img/a.jpg" alt="A"> <a href="mailto:desk@example.com">us</a></p>',
                    base_url="https://example.com/news/one")
    assert '<a href="https://example.com/story/2" title="Next" rel="noopener noreferrer">' in html
    assert 'src="https://example.com/news/img/a.jpg"' in html
    assert 'href="mailto:desk@example.com"' in html


def test_rendered_blocks_escape_markup_in_text() -> None:
    blocks = [Block("paragraph", payload) for payload in PAYLOADS]
    html = to_html(blocks)
    assert_safe(html)
    assert "&lt;script&gt;" in html.lower()


# Text with everything an escaper can get wrong: markup, references, quotes, no-break spaces,
# line breaks of every kind, NUL and other controls, noncharacters, astral characters.
_CHARS = list("ab <>&;\"'=/#x\xa0\n\r\t\x00\x01\x0c\x7f\ufffe\u2028é😀")
_TEXT = st.text(st.sampled_from(_CHARS) | st.characters(blacklist_categories=("Cs",)), max_size=40)
_ROWS = st.lists(st.lists(_TEXT, max_size=3).map(tuple), max_size=3).map(tuple)
_BLOCKS = st.lists(st.one_of(
    st.builds(Block, st.sampled_from(["paragraph", "quote", "code", "list_item", "entry"]), _TEXT,
              ordered=st.booleans(), time=st.none() | _TEXT),
    st.builds(Block, st.just("heading"), _TEXT, level=st.integers(-1, 8)),
    st.builds(Block, st.just("table"), _TEXT, rows=_ROWS),
), max_size=6)


@settings(max_examples=400, deadline=None)
@given(_BLOCKS)
@example([Block("entry", "", time='<"&>')])  # nh3 escapes "<" in attributes only from 0.3.7
def test_rendered_html_is_what_the_sanitizer_makes_of_it(blocks: list[Block]) -> None:
    # to_html skips nh3 (quadratic on long runs of "&amp;"): its output must already be nh3's.
    html = to_html(blocks)
    assert sanitize(html) == html
    assert_safe(html)


def test_clean_of_a_page_full_of_payloads() -> None:
    body = "".join(f"<p>{SENTENCE}{SENTENCE}</p>\n{payload}\n" for payload in PAYLOADS)
    page = (f"<html><head><title>Storm</title>{PAYLOADS[1]}</head><body><article><h1>Storm</h1>"
            f"{body}</article></body></html>")
    article = clean(page, url="https://example.com/news/storm")
    assert "thousands of homes" in article.text
    assert_safe(article.html)
    assert "<script" not in article.text.lower()
    assert "<script" not in article.markdown.lower()


@pytest.mark.parametrize("payload", PAYLOADS[:20])
def test_clean_of_each_payload_inside_a_paragraph(payload: str) -> None:
    page = (f"<html><body><article><p>{SENTENCE * 3}</p><p>{SENTENCE} {payload} {SENTENCE}</p>"
            "</article></body></html>")
    article = clean(page, url="https://example.com/news/storm")
    assert_safe(article.html)
    assert "<script" not in article.text.lower()


def _safe_url_by_split(value: str, base: str) -> str | None:
    """safe_url as urllib reads every value: joined, then its scheme split off."""
    value = scrub(value).strip()
    if not value:
        return None
    try:
        joined = urljoin(base, value)
        scheme = urlsplit(joined).scheme.lower()
        resolvable = bool(base) and urlsplit(base).scheme.lower() in ("http", "https")
    except ValueError:
        return None
    return joined if scheme in ("http", "https", "") and (scheme or not resolvable) else None


_URL_PARTS = st.sampled_from([
    "http://", "https://", "HTTPS://", "https:", "javascript:", "data:", "//", "/", "[", "]", "::1", "x.org",
    "é",
    "\t", " ", "a", "?", "#", ":", "..", "%41", "\x00", ";", "=", "@",
])


@settings(max_examples=6000, deadline=None)
@given(st.lists(_URL_PARTS, max_size=8).map("".join),
       st.sampled_from(["", "https://example.com/a/b", "http://[::1]/x", "ftp://host/", "/relative"]))
@example("http://[bad/x", "")
@example("https:///a", "https://example.com/a/b")
@example("https://x.org/a?", "https://example.com/a/b")
@example("https://x.org/a;", "https://example.com/a/b")
@example("https://é.example/", "https://example.com/")
def test_safe_url_reads_web_urls_as_urllib_does(value: str, base: str) -> None:
    assert safe_url(value, base) == _safe_url_by_split(value, base)


def test_every_character_scrub_removes_is_unprintable() -> None:
    # scrub takes a printable string as it is, unsearched: sound only while this holds
    from newsclean.page.strings import _BAD

    removed = [c for c in map(chr, range(0x110000)) if _BAD.match(c)]
    assert len(removed) > 2000 and not any(c.isprintable() for c in removed)
    assert scrub("tab\tand\nnew line\r") == "tab\tand\nnew line\r" and scrub("a\x00b") == "ab"
