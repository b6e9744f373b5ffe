"""native: newsclean's own extractor picks the article container, widens it to a body split
around ads, and says when to doubt itself."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

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
