"""native: newsclean's own extractor picks the article container, widens it to a body split
around ads, and says when to doubt itself."""

from __future__ import annotations

import gc
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from newsclean.page import native
from newsclean.page.native import extract

SENTENCE = "The council approved the new budget after a long debate on Tuesday evening, officials said."


def para(i: int) -> str:
    return f"<p>{SENTENCE} Paragraph {i} adds detail about the plan and what it costs residents.</p>"


def texts(html: str) -> list[str]:
    result = extract(LexborHTMLParser(html))
    assert not result.doubtful, result.why
    return [re.search(r"Paragraph (\d+)", b.text)[1] for b in result.blocks]  # type: ignore[index]


AD = '<div class="ad-slot"><span>Advertisement</span></div>'
RELATED = ('<div class="related"><h3>More news</h3><ul><li><a href="/a">Other story one</a></li>'
           '<li><a href="/b">Other story two</a></li></ul></div>')


def test_a_body_split_around_an_ad_is_taken_whole() -> None:
    html = (f'<body><main><div class="article-body">{para(1)}{para(2)}{para(3)}</div>{AD}'
            f'<div class="article-body">{para(4)}{para(5)}</div>{RELATED}</main></body>')
    assert texts(html) == ["1", "2", "3", "4", "5"]


def test_a_body_split_across_wrapper_rows_is_taken_whole() -> None:
    # page builders wrap each part in its own row > column: the parts are cousins, not siblings
    def row(inner: str) -> str:
        return f'<section class="row"><div class="col">{inner}</div></section>'

    html = (f'<body><main>{row(f"<div class=body-text>{para(1)}{para(2)}{para(3)}</div>")}{row(AD)}'
            f'{row(f"<div class=body-text>{para(4)}{para(5)}</div>")}{RELATED}</main></body>')
    assert texts(html) == ["1", "2", "3", "4", "5"]


def test_a_box_of_the_same_class_under_other_wrappers_is_not_the_body() -> None:
    # a teaser card in the sidebar shares the body's class but not its wrappers
    html = (f'<body><main><section class="row"><div class="col"><div class="body-text">{para(1)}{para(2)}'
            f'{para(3)}</div></div></section></main><aside class="sidebar"><div class="card">'
            f'<div class="body-text">{para(9)}</div></div></aside></body>')
    assert texts(html) == ["1", "2", "3"]


def test_little_text_is_doubtful_and_says_why() -> None:
    result = extract(LexborHTMLParser(f"<body><div>{SENTENCE}</div></body>"))
    assert result.doubtful and result.why.startswith("little text")


def _judge_word_ungated(word: str, is_id: bool) -> tuple[int, int]:
    """What native._judge_word says of a word with every pattern tried, no gate."""
    lower = word.lower()
    if native._EMBEDDED_POST.match(lower):
        return 0, 0
    hint = next((tier for tier, by_class, by_id in native._HINTS
                 if (by_id if is_id else by_class).search(lower)), 0)
    furniture = 0
    if native._COMMENTS.search(word):
        furniture |= native._COMMENT
    if (native._FURNITURE_ID if is_id else native._FURNITURE_CLASS).search(word):
        furniture |= native._NAMED
    if native._TEASER.search(word):
        furniture |= native._TEASED
    if not is_id and native._PRECISION.search(lower):
        furniture |= native._STRICT
    return hint, furniture


_NAME_PIECES = st.sampled_from([
    "entry", "content", "article", "Body", "post", "main", "-", "_", "share", "Share", "comment", "Comments",
    "teaser", "bottom", "link", "ad", "nav", "embed", "social", "twitter", "story", "x", "İ", "K", "has-",
    "no-",
    "footer", "Footer", "wp-block",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_NAME_PIECES, min_size=1, max_size=5).map("".join), st.booleans())
def test_a_word_is_judged_as_every_pattern_tried_in_turn_would(word: str, is_id: bool) -> None:
    assert native._judge_word(word, is_id) == _judge_word_ungated(word, is_id)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_NAME_PIECES, min_size=1, max_size=4).map("".join), max_size=4).map(" ".join),
       st.lists(_NAME_PIECES, max_size=3).map("".join))
def test_a_name_is_judged_from_its_words_remembered_or_not(cls: str, ident: str) -> None:
    words = [native._judge_word(word, False) for word in cls.split()]
    if ident:
        words.append(native._judge_word(ident, True))
    hints = [hint for hint, _ in words if hint]
    flags = 0
    for _, furniture in words:
        flags |= furniture
    expected = (min(hints, default=0), flags)
    assert native._judge_name(cls, ident) == expected
    assert native._judge_name(cls, ident) == expected  # from what was remembered


def test_the_words_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_JUDGED_MAX", 50)
    for i in range(500):
        native._judge_name(f"box-{i} share-{i}", f"id-{i}")
    assert all(len(known) <= 50 for known in native._JUDGED)
    assert native._judge_name("share-1", "") == (0, native._NAMED)
    # strings to integers: nothing in them for the garbage collector to walk in a long batch
    assert not any(gc.is_tracked(known) for known in native._JUDGED)


def test_the_walk_stops_at_a_fixed_depth_whatever_the_recursion_limit() -> None:
    # The same page gives the same Article wherever clean() is called from: the walk's depth is
    # its own limit, not what is left of Python's recursion limit (nor a C stack's, compiled).
    import sys

    import newsclean

    def nested(levels: int) -> str:
        return "<html><body>" + "<div>" * (levels - 1) + SENTENCE + "</div>" * (levels - 1) + "</body></html>"

    old = sys.getrecursionlimit()
    try:
        for limit in (old, 50_000):
            sys.setrecursionlimit(limit)
            deepest = extract(LexborHTMLParser(nested(native.MAX_WALK_DEPTH)))
            assert SENTENCE in " ".join(b.text for b in deepest.blocks)
            with pytest.raises(RecursionError):
                extract(LexborHTMLParser(nested(native.MAX_WALK_DEPTH + 1)))
            article = newsclean.clean(nested(native.MAX_WALK_DEPTH + 50))
            assert article.diagnostics.flattened and SENTENCE.strip() in article.text
    finally:
        sys.setrecursionlimit(old)
