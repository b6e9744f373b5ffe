"""extract: trafilatura's XML body becomes typed blocks, whatever path produced it."""

from __future__ import annotations

from lxml import etree

from newsclean.extract import body_to_blocks, extract_blocks


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
