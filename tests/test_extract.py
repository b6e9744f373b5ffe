"""extract: trafilatura's XML body becomes typed blocks, whatever path produced it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from newsclean import clean
from newsclean.article import Block
from newsclean.page.blocks import body_to_blocks
from newsclean.page.body import has_words, word_count
from newsclean.page.extract import extract_blocks, without_head


def blocks(xml: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in body_to_blocks(etree.fromstring(xml))]


def test_fallback_body_wrapped_in_a_div_is_walked_not_flattened():
    # trafilatura's readability fallback returns the article as one <div>: its paragraphs
    # stay paragraphs and its lists are kept (flattening dropped nested lists).
    xml = ("<body><div><head rend='h2'>Risks</head><p>Two questions first:</p>"
           "<list rend='ol'><item>How severe is the disease?</item><item>Who catches it?</item></list>"
           "<p>The first is for doctors.</p></div></body>")
    assert blocks(xml) == [("heading", "Risks"), ("paragraph", "Two questions first:"),
                           ("list_item", "How severe is the disease?"), ("list_item", "Who catches it?"),
                           ("paragraph", "The first is for doctors.")]


def test_inline_runs_between_blocks_and_tails_are_paragraphs():
    xml = ("<body>Lead text <hi>bold</hi> end.<p>Middle.</p>After the middle<lb/>second line"
           "<quote>He said <hi>this</hi> and that.</quote></body>")
    assert blocks(xml) == [("paragraph", "Lead text bold end."), ("paragraph", "Middle."),
                           ("paragraph", "After the middle\nsecond line"),
                           ("quote", "He said this and that.")]


def test_html_table_rows_left_by_a_fallback_are_read():
    xml = "<body><p>Works<table><tr><td>1</td><td>Eagle on a cliff</td></tr></table></p></body>"
    assert blocks(xml) == [("paragraph", "Works"), ("table", "1 | Eagle on a cliff")]


def test_quote_holding_paragraphs_keeps_each_line():
    xml = "<body><quote><p>First line.</p><p>Second line.</p></quote></body>"
    assert blocks(xml) == [("quote", "First line.\nSecond line.")]


def test_heading_and_paragraph_inside_a_list_item_stay_apart():
    # A feature list (<li><h2>WebIDE</h2><p>Develop...</p></li>) read as one run of text
    # glued the heading to the paragraph ("WebIDEDevelop"); inline code stays inline.
    xml = ("<body><list rend='ul'><item><head rend='h2'>WebIDE</head><p>Develop apps.</p>Learn more</item>"
           "<item>Run <code>hg push</code> now</item></list></body>")
    assert blocks(xml) == [("list_item", "WebIDE\nDevelop apps.\nLearn more"),
                           ("list_item", "Run hg push now")]


def test_a_post_written_as_lists_keeps_its_lists():
    # No <p> at all: trafilatura takes its own extraction for a failure and a fallback
    # (justext) flattens the headings and items into plain paragraphs.
    item = ("this is one of the things that we have fixed in the browser this week, and it is now the case "
            "that it will not crash when you close a tab that has a video in it, which was a problem for "
            "many of the people who use it every day.")
    items = "".join(f"<li>Item {i}: {item}</li>" for i in range(6))
    figure = "<figure><img src='x.png'></figure>"
    sections = "".join(f"<h3>Section {s}</h3><ul>{items}</ul>{figure}" for s in range(4))
    html = (f"<html><body><article><h2>These weeks in the browser</h2><time>Dec 18</time>{sections}"
            "</article></body></html>")
    kinds = [b.kind for b in extract_blocks(html)]
    assert kinds.count("list_item") == 24 and kinds.count("heading") == 5
    # without the second run (the caller saw no lists), the fallback's paragraphs stand
    assert "list_item" not in [b.kind for b in extract_blocks(html, lists=False)]
    # clean() asks for it when its doubtful native reading holds the lists (a list under a
    # generic container: trafilatura extracts; items told apart, or the duplicate rule takes them)
    lists = ["".join(f"<li>Item {s}.{i}: {item}</li>" for i in range(6)) for s in range(4)]
    sections = "".join(f"<h3>Section {s}</h3><ul>{lists[s]}</ul>{figure}" for s in range(4))
    article = clean(f"<html><body><main><h2>These weeks in the browser</h2>{sections}</main></body></html>")
    assert (article.diagnostics.fallback or "").startswith("a list under a generic container")
    assert [b.kind for b in article.blocks].count("list_item") == 24


# --- the page trafilatura is handed ---------------------------------------------------

ARTICLE = ("<html><head><title>Harbour</title></head><body><article><h1>Harbour reopens</h1>"
           + "".join(f"<p>The harbour reopened on day {i} after repairs to the sea wall, and the "
                     "ferries went back to their usual timetable the same morning.</p>" for i in range(8))
           + "</article><footer><a href='/a'>About</a></footer></body></html>")
# The article is a short part of a long page: readability might find more, so it must be asked.
BURIED = ("<html><body><div class='story'><p>" + "Short lead sentence here. " * 12 + "</p></div>"
          + "".join(f"<div class='box{i}'><span>" + "Unmarked text block with many words. " * 15
                    + "</span></div>" for i in range(6)) + "</body></html>")


def test_head_is_emptied_for_trafilatura_but_json_ld_stays():
    page = ('<html lang="en"><head><title>T</title><meta name="x" content="y"><link rel="icon" href="/i">'
            '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
            '<script>var a = 1;</script></head><body><p>Body text.</p></body></html>')
    tree = LexborHTMLParser(page)
    out = without_head(tree, tree.html or "")
    assert '<html lang="en"><head><script type="application/ld+json">' in out
    assert "<title>" not in out and "<meta" not in out and "var a" not in out
    assert out.endswith("<body><p>Body text.</p></body></html>")


def test_a_page_without_its_head_gives_trafilatura_the_same_blocks():
    # The head only holds what trafilatura drops before extracting (metadata is off).
    tree = LexborHTMLParser(ARTICLE.replace("<head>", "<head><meta name='description' content='About'>"
                                            "<link rel='stylesheet' href='/a.css'>"))
    html = tree.html or ""
    assert "<meta" not in without_head(tree, html)
    assert extract_blocks(without_head(tree, html)) == extract_blocks(html)


def test_article_laid_out_in_a_table_cell_comes_back_as_paragraphs():
    # An old-style layout (LWN): the whole article sits in one cell of a layout table.
    prose = "".join(f"<p>Paragraph {i} of the article, long enough to read as prose.</p>" for i in range(12))
    xml = (f"<body><table><row><cell><head rend='h2'>A trademark battle</head>{prose}</cell>"
           "<cell>Side</cell></row></table></body>")
    got = blocks(xml)
    assert got[0] == ("heading", "A trademark battle")
    assert [kind for kind, _ in got[1:13]] == ["paragraph"] * 12
    assert got[-1] == ("paragraph", "Side")


def test_data_table_with_a_paragraph_per_cell_stays_a_table():
    xml = ("<body><table><row><cell><p>Flour</p></cell><cell><p>125 g</p></cell></row>"
           "<row><cell><p>Sugar</p></cell><cell><p>65 g</p></cell></row></table></body>")
    assert blocks(xml) == [("table", "Flour | 125 g\nSugar | 65 g")]


def test_a_table_nested_in_a_layout_cell_is_read_once():
    prose = "".join(f"<p>Paragraph {i} of the article, long enough to read as prose.</p>" for i in range(12))
    inner = "<table><row><cell>Flour</cell><cell>125 g</cell></row></table>"
    got = blocks(f"<body><table><row><cell>{prose}{inner}</cell></row></table></body>")
    assert got.count(("table", "Flour | 125 g")) == 1
    assert "Flour" not in [text for _, text in got]


def test_the_pruned_page_is_serialised_only_when_asked_and_once():
    from newsclean.options import Options
    from newsclean.page.body import find_body
    from newsclean.rules import Rules

    story = "<p>" + "A storm hit the coast on Monday night, cutting power to homes. " * 12 + "</p>"
    page = (f'<html><body><article>{story}'
            '<div class="share-bar">Share on Facebook</div></article></body></html>')
    body = find_body(LexborHTMLParser(page), page, None, Rules.default(), None, Options())
    assert body.extractor == "native" and body._serialised == {}  # the native extractor needs no HTML
    html = body.pruned_html()
    assert "share-bar" not in html and "A storm hit the coast" in html
    assert body.pruned_html() is html  # made once


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text(alphabet="ab \n\xa0", max_size=30), max_size=8),
       st.integers(min_value=0, max_value=25))
def test_has_words_says_what_counting_every_word_would(texts: list[str], least: int) -> None:
    blocks = [Block("paragraph", text) for text in texts]
    assert has_words(blocks, least) == (word_count(blocks) >= least)
