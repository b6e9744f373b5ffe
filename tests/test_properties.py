"""Property-based tests: random markup from a grammar of tags, attributes and text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsclean import Article, clean, clean_text
from newsclean.page.decode import decode_html
from newsclean.page.limits import nesting_depth

TAGS = ["p", "div", "span", "a", "b", "i", "article", "main", "section", "h1", "h2", "h3", "ul", "ol",
        "li", "table", "tr", "td", "figure", "figcaption", "img", "br", "script", "style",
        "form", "input", "nav", "aside", "footer", "header", "blockquote", "pre", "code", "svg",
        "noscript", "template", "frameset", "frame", "select", "option", "meta"]
ATTRIBUTES = ["class", "id", "href", "src", "style", "onclick", "onerror", "data-src", "role",
              "aria-hidden", "hidden", "itemprop", "content", "property", "charset", "lang"]
VALUES = st.sampled_from(["related", "share-bar", "most-read", "javascript:alert(1)", "/x.jpg",
                          "data:text/html,<script>alert(1)</script>", "true", "articleBody",
                          "og:title", "utf-8", "display:none", "x\" onload=\"alert(1)"])
VALUES = VALUES | st.text(max_size=20)
WORDS = st.sampled_from(["The", "storm", "hit", "the", "coast", "Getty", "Most Read", "Reuters",
                         "Photo: Jo Roe", "<script>alert(1)</script>", "&amp;", "&lt;", "\x00", "\u2028",
                         "Trending on", "Advertisement", "é", "日本", "\ud800", "<!--", "-->", "]]>"])
# (no <textarea>, <title>, <iframe>: by the HTML rules their content is text, so a literal
# "<script>" inside them is text too)
TEXT = st.lists(WORDS | st.text(max_size=15), max_size=12).map(" ".join)


@st.composite
def element(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = "".join(f' {name}="{value}"' for name, value in draw(
        st.lists(st.tuples(st.sampled_from(ATTRIBUTES), VALUES), max_size=3)))
    children = draw(st.lists(TEXT | (element(depth + 1) if depth < 6 else TEXT), max_size=4))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</div>"]))
    return f"<{tag}{attrs}>{''.join(children)}{close}"


PAGES = st.lists(element(), max_size=6).map(lambda parts: "<html><body>" + "".join(parts) + "</body></html>")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(article: Article, markup: bool = True) -> None:
    assert isinstance(article, Article)
    if markup:  # from markup, "<script" in the text could only come from a script element
        assert "<script" not in article.text.lower()
    assert "<script" not in article.html.lower()
    assert article.text or article.reason or not article.is_article
    article.to_json()


@SETTINGS
@given(PAGES)
def test_clean_never_raises_on_markup(page: str) -> None:
    check(clean(page, url="https://example.com/a"))


@SETTINGS
@given(PAGES, st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1252", "shift_jis"]))
def test_clean_never_raises_on_encoded_markup(page: str, codec: str) -> None:
    check(clean(page.encode(codec, errors="replace"), url="https://example.com/a"))


@SETTINGS
@given(st.binary(max_size=3000))
def test_clean_never_raises_on_bytes(data: bytes) -> None:
    check(clean(data))


@SETTINGS
@given(st.text(max_size=3000))
def test_clean_never_raises_on_text(text: str) -> None:
    check(clean(text))


@SETTINGS
@given(st.lists(TEXT, max_size=30).map("\n".join))
def test_clean_text_never_raises(text: str) -> None:
    check(clean_text(text, url="https://www.gbnews.com/x", site_name="GB News"), markup=False)


@SETTINGS
@given(st.binary(max_size=3000) | PAGES.map(lambda p: p.encode("utf-8", "surrogatepass")))
def test_decode_html_returns_text_parsers_accept(data: bytes) -> None:
    text = decode_html(data)
    assert isinstance(text, str)
    assert "\x00" not in text
    text.encode("utf-8")  # no lone surrogates


@SETTINGS
@given(PAGES)
def test_nesting_depth_bounds_the_parsed_depth(page: str) -> None:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    deepest = 0
    for node in tree.root.traverse() if tree.root is not None else []:
        level, parent = 0, node.parent
        while parent is not None:
            level, parent = level + 1, parent.parent
        deepest = max(deepest, level)
    # html/head/body and implied tbody/tr add a few levels the markup does not spell out
    assert deepest <= nesting_depth(page) + 6 + page.lower().count("<td") + page.lower().count("<tr")
